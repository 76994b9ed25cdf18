<%@ tag body-content="empty" pageEncoding="UTF-8" %>
<%@ attribute name="who" required="true" %>
<span class="greet">Greetings from a tag file, ${who}.</span>
