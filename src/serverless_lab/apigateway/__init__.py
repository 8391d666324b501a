"""apigateway"""
