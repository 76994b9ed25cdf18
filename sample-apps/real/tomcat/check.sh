#!/usr/bin/env bash
# Functional check of Tomcat 10 with our JSP webapp (ROOT) and the examples webapp.
# Usage: check.sh HOSTPORT (port 8080 of the container)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/check-lib.sh"
need curl
P=${1:?usage: check.sh HOSTPORT}
B=http://127.0.0.1:$P
wait_until 120 curl -s -o /dev/null "$B/css/app.css"

req index "$B/"
t "GET / is 200 text/html;charset=UTF-8 (index.jsp)" eval 'status_is index 200 && header_is index Content-Type "^text/html;charset=UTF-8$"'
t "GET / greets the world by default" body_has index "Hello, world!"
req ada "$B/?name=Ada"
t "GET /?name=Ada greets Ada (request parameter in the page)" body_has ada "Hello, Ada!"
t "EL arithmetic \${6 * 7} gives 42" body_has ada "Six times seven is 42."
t "EL method call on a page attribute: length of Ada is 3" body_has ada "Name length: 3"
t "a tag file (WEB-INF/tags/greet.tag) renders" body_has ada '<span class="greet">Greetings from a tag file, Ada.</span>'
t "the static include (WEB-INF/jspf/footer.jspf) names Tomcat 10.1" body_matches ada 'Served by Apache Tomcat/10\.1\.[0-9]+ \(Debian\) on Java 17'
req xss "$B/?name=%3Cb%3E"
t "the name is HTML-escaped" eval 'body_has xss "Hello, &lt;b&gt;!" && body_lacks xss "Hello, <b>"'
trimmed() { tr -d '\r\n' <"$CHECK_TMP/$1.body"; }
req c1 -c "$CHECK_TMP/jar" "$B/counter.jsp"
t "GET /counter.jsp starts a session (JSESSIONID cookie, count=1)" eval 'has_header c1 Set-Cookie && header_is c1 Set-Cookie "^JSESSIONID=" && [ "$(trimmed c1)" = "count=1" ]'
req c2 -b "$CHECK_TMP/jar" "$B/counter.jsp"
t "the session keeps state: second request with the cookie has count=2" eval '[ "$(trimmed c2)" = "count=2" ]'
req echo -X POST --data 'message=h%C3%A9llo+there' "$B/echo.jsp"
t "POST /echo.jsp reads the UTF-8 form body" eval 'body_has echo "method=POST" && body_has echo "message=héllo there"'
t "EL on the form parameter upper-cases it" body_has echo "upper=HÉLLO THERE"
req css "$B/css/app.css"
t "GET /css/app.css is text/css with the file's bytes" eval 'header_is css Content-Type "^text/css" && body_same_as_file css "$here/webapp/css/app.css"'
req nf "$B/no/such/page"
t "GET /no/such/page is 404 with the app's error page JSP" eval 'status_is nf 404 && body_has nf "Nothing at /no/such/page (corpus 404)"'
req ex "$B/examples/"
t "GET /examples/ is the examples webapp's index" eval 'status_is ex 200 && body_has ex "Apache Tomcat Examples"'
req rp "$B/examples/servlets/servlet/RequestParamExample?firstname=Ada&lastname=Lovelace"
t "examples servlet RequestParamExample echoes the parameters" eval 'status_is rp 200 && body_has rp " = Ada<br>" && body_has rp " = Lovelace"'
req ar "$B/examples/jsp/jsp2/el/basic-arithmetic.jsp"
t "examples JSP basic-arithmetic.jsp computes \${1 + 2}" eval 'status_is ar 200 && tr -d " \n" <"$CHECK_TMP/ar.body" | grep -qF "<td>\${1+2}</td><td>3</td>"'
req fn "$B/examples/jsp/jsp2/el/functions.jsp?foo=JSP+2.0"
t "examples JSP functions.jsp reverses its parameter (EL functions of a taglib)" body_has fn "0.2 PSJ"
finish
