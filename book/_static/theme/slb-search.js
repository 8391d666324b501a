/* Serverless Lab Book: search result snippets without quiz answers (added by
   book/_ext/publishing.py).
   Sphinx's search page cuts each result's snippet out of the text of the page it found
   (Search.htmlToText in searchtools.js), and a chapter page holds its quiz with every
   option's verdict and explanation. The search index leaves the quizzes out already; here the
   quiz is taken out of the page text too, before the snippet is cut. Loaded with `defer`, so
   it runs after searchtools.js and before the search starts (on DOMContentLoaded). */
(function () {
  "use strict";
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  const pageText = Search.htmlToText;
  Search.htmlToText = function (htmlString, anchor) {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".slb-quiz").forEach((quiz) => quiz.remove());
    return pageText(page.documentElement.outerHTML, anchor);
  };
})();
