<%@ page contentType="text/html; charset=UTF-8" %>
<%@ taglib prefix="c" tagdir="/WEB-INF/tags" %>
<!doctype html>
<html><head><title>Corpus JSP app</title><link rel="stylesheet" href="css/app.css"></head>
<body>
<%
  String name = request.getParameter("name");
  if (name == null || name.isEmpty()) name = "world";
  String safe = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  pageContext.setAttribute("who", safe);
%>
<h1>Hello, ${who}!</h1>
<p>Six times seven is ${6 * 7}.</p>
<p>Name length: ${who.length()}</p>
<p><c:greet who="${who}"/></p>
<p><a href="counter.jsp">Counter</a> <a href="echo.jsp">Echo</a></p>
<%@ include file="/WEB-INF/jspf/footer.jspf" %>
</body></html>
