<%@ page contentType="text/plain; charset=UTF-8" session="true" %><%
  Integer n = (Integer) session.getAttribute("count");
  n = (n == null) ? 1 : n + 1;
  session.setAttribute("count", n);
%>count=<%= n %>
