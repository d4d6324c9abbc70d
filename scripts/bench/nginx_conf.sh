#!/usr/bin/env bash
# nginx_conf.sh stream|http DIR TLS_PORT UPSTREAM_PORT CERT_CHAIN KEY
#
# Prints the nginx.conf of the benchmark's TLS front: one worker that terminates TLS on
# 127.0.0.1:TLS_PORT and passes the bytes on to the harness's server on 127.0.0.1:UPSTREAM_PORT.
# Everything nginx writes (pid, logs, temp files) stays in DIR. Run with `nginx -p DIR/ -c CONF`.
#
#   stream  a TCP proxy behind TLS (ngx_stream_module, Debian's libnginx-mod-stream): nginx never
#           parses HTTP or WebSocket; it decrypts, copies, encrypts. The least a TLS front can add.
#   http    the fallback when the stream module is missing: an HTTP reverse proxy that forwards the
#           Upgrade handshake and then tunnels the connection (proxy_buffering off, big buffers).
#
# TLS 1.2 and 1.3 (nginx 1.22's default would stop at 1.2); the session's protocol and cipher go to
# DIR/tls.log, one line per connection.
set -euo pipefail
(($# == 6)) || { sed -n '2,14p' "$0" >&2; exit 2; }
kind=$1 dir=$2 tls_port=$3 upstream_port=$4 cert=$5 key=$6

module=/usr/lib/nginx/modules/ngx_stream_module.so
common_tls="ssl_protocols TLSv1.2 TLSv1.3;
        ssl_certificate $cert;
        ssl_certificate_key $key;"

[[ $kind == stream ]] && echo "load_module $module;"
cat <<EOF2
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
EOF2
case $kind in
stream)
    cat <<EOF2
stream {
    log_format tls '\$ssl_protocol \$ssl_cipher in=\$bytes_received out=\$bytes_sent \${session_time}s';
    access_log $dir/tls.log tls;
    server {
        listen 127.0.0.1:$tls_port ssl;
        $common_tls
        proxy_buffer_size 256k; # as the http variant: fewer, larger writes to the server
        proxy_pass 127.0.0.1:$upstream_port;
    }
}
EOF2
    ;;
http)
    cat <<EOF2
http {
    log_format tls '\$ssl_protocol \$ssl_cipher in=\$request_length out=\$bytes_sent \${request_time}s';
    access_log $dir/tls.log tls;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$tls_port ssl;
        $common_tls
        location / {
            proxy_pass http://127.0.0.1:$upstream_port;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_buffering off;
            proxy_buffer_size 256k; # also the size of each direction's buffer once upgraded
            proxy_buffers 4 256k;
            proxy_busy_buffers_size 256k;
            proxy_read_timeout 600s;
            proxy_send_timeout 600s;
        }
    }
}
EOF2
    ;;
*) echo "nginx_conf.sh: stream or http, not $kind" >&2; exit 2 ;;
esac
