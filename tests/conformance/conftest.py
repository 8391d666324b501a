"""Conformance cases run against the lab, emptied before each case (the ``lab`` fixture)."""
