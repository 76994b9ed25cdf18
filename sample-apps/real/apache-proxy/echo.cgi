#!/bin/sh
# CGI of the backend: echoes what it was sent.
printf 'Content-Type: text/plain\r\n\r\n'
echo "method=$REQUEST_METHOD"
echo "query=$QUERY_STRING"
if [ "${CONTENT_LENGTH:-0}" -gt 0 ]; then
  echo "body=$(head -c "$CONTENT_LENGTH")"
fi
echo "forwarded-host=$HTTP_X_FORWARDED_HOST"
