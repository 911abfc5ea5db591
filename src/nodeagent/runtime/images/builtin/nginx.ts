/**
 * The nginx built-ins: `nginx` (any tag) behaves like the official image on Debian's nginx
 * (config in /etc/nginx, pages in /usr/share/nginx/html, logs to stdout/stderr, `nginx -g
 * 'daemon off;'`), and `ikubernetes/myapp:vN` is that nginx serving the myapp pages.
 * Definitions only: reads a few host files (mime.types), writes nothing.
 */
import { existsSync, readFileSync } from 'node:fs'
import { type BuiltinImage, defaultPath, type GeneratedEntry } from './define.js'

const nginxConf = `user  www-data;
worker_processes  1;

error_log  /dev/stderr warn;
pid        /run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /dev/stdout  main;

    sendfile        on;
    keepalive_timeout  65;

    include /etc/nginx/conf.d/*.conf;
}
`

const defaultConf = `server {
    listen       80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`

const welcomeHtml = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`

const errorHtml = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`

/** Used when the host has no /etc/nginx/mime.types (nginx itself then still needs installing). */
const fallbackMimeTypes = `types {
    text/html                                        html htm shtml;
    text/css                                         css;
    text/plain                                       txt;
    application/javascript                           js;
    application/json                                 json;
    image/png                                        png;
    image/jpeg                                       jpeg jpg;
    image/svg+xml                                    svg svgz;
}
`

/** Files of Debian's /etc/nginx the official image also has (nginx.conf and conf.d are ours). */
const hostNginxFiles = ['mime.types', 'fastcgi_params', 'scgi_params', 'uwsgi_params', 'koi-utf', 'koi-win', 'win-utf']

function etcNginx(): GeneratedEntry[] {
  const out: GeneratedEntry[] = [
    { path: 'etc-nginx/nginx.conf', data: nginxConf },
    { path: 'etc-nginx/conf.d/default.conf', data: defaultConf },
  ]
  for (const f of hostNginxFiles) {
    const host = `/etc/nginx/${f}`
    if (existsSync(host)) out.push({ path: `etc-nginx/${f}`, data: readFileSync(host, 'utf8') })
    else if (f === 'mime.types') out.push({ path: 'etc-nginx/mime.types', data: fallbackMimeTypes })
  }
  return out
}

const missingNginx =
  'the built-in nginx image runs Debian\'s nginx, which is not installed (/usr/sbin/nginx is missing): run "npm run setup" as root or "apt-get install nginx-light"'

/** nginx on the host binary; `html` replaces the default pages, `extra` adds to the image. */
export function nginxImage(
  key = 'nginx',
  opts: { html?: GeneratedEntry[]; extra?: Partial<BuiltinImage> } = {},
): BuiltinImage {
  const html = opts.html ?? [
    { path: 'html/index.html', data: welcomeHtml },
    { path: 'html/50x.html', data: errorHtml },
  ]
  const base: BuiltinImage = {
    key,
    config: {
      cmd: ['nginx', '-g', 'daemon off;'],
      env: [`PATH=${defaultPath}`],
      exposedPorts: [80],
    },
    content: [...etcNginx(), ...html],
    files: [],
    dirs: [
      // Both mountpoints exist in the host's read-only /etc and /usr once nginx is installed.
      { path: '/etc/nginx', from: 'etc-nginx', writable: true },
      { path: '/usr/share/nginx/html', from: 'html', writable: true },
    ],
    writableDirs: ['/var/lib/nginx', '/var/log/nginx'],
    requires: [
      { path: '/usr/sbin/nginx', message: missingNginx },
      { path: '/usr/share/nginx/html', message: missingNginx.replace('/usr/sbin/nginx', '/usr/share/nginx/html') },
      { path: '/etc/nginx', message: missingNginx.replace('/usr/sbin/nginx', '/etc/nginx') },
    ],
  }
  const extra = opts.extra ?? {}
  return {
    ...base,
    config: { ...base.config, ...extra.config },
    content: [...base.content, ...(extra.content ?? [])],
    files: [...base.files, ...(extra.files ?? [])],
  }
}

/** The page ikubernetes/myapp serves at /. */
export function myappIndex(version: string): string {
  return `Hello MyApp | Version: ${version} | <a href="hostname.html">Pod Name</a>\n`
}

/**
 * The myapp entrypoint: writes hostname.html (the pod's hostname) into the html directory, then
 * runs the command. MYAPP_HTML_DIR exists for tests; the container uses the default.
 */
export const myappEntrypoint = `#!/bin/sh
# ikubernetes/myapp (petset built-in): writes the Pod Name page, then runs the command (nginx).
html="\${MYAPP_HTML_DIR:-/usr/share/nginx/html}"
name="\${HOSTNAME:-$(hostname)}"
echo "$name" > "$html/hostname.html" || echo "myapp: cannot write $html/hostname.html" >&2
exec "$@"
`

/** ikubernetes/myapp:<version>: nginx serving the version page and hostname.html. */
export function myappImage(version: string): BuiltinImage {
  return nginxImage(`myapp-${version}`, {
    html: [
      { path: 'html/index.html', data: myappIndex(version) },
      { path: 'html/50x.html', data: errorHtml },
    ],
    extra: {
      config: { entrypoint: ['/myapp-entrypoint.sh'] },
      content: [{ path: 'myapp-entrypoint.sh', data: myappEntrypoint, mode: 0o755 }],
      files: [{ path: '/myapp-entrypoint.sh', from: 'myapp-entrypoint.sh', mode: 0o755 }],
    },
  })
}
