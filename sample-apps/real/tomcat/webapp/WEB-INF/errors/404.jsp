<%@ page contentType="text/html; charset=UTF-8" isErrorPage="true" %>
<!doctype html><html><head><title>Not found</title></head>
<body><h1>Nothing at ${requestScope['jakarta.servlet.error.request_uri']} (corpus 404)</h1></body></html>
