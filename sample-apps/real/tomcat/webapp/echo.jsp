<%@ page contentType="text/plain; charset=UTF-8" %><%
  request.setCharacterEncoding("UTF-8");
  String m = request.getParameter("message");
%>method=<%= request.getMethod() %>
message=<%= m == null ? "" : m %>
upper=${param.message.toUpperCase()}
