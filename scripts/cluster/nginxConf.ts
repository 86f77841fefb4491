import path from 'node:path';

export interface NginxConfOptions {
  /** The port nginx listens on. */
  listenPort: number;
  /** Address to listen on; 127.0.0.1 unless a caller wants the cluster reachable from elsewhere. */
  listenHost?: string;
  /** Ports of the server processes on 127.0.0.1. */
  upstreamPorts: readonly number[];
  /** Directory for the pid file, logs and temp files: nothing under /var, so nginx runs as any user. */
  prefixDir: string;
}

/** Name of the access log in prefixDir; each line ends with the upstream that answered (`up=127.0.0.1:PORT`). */
export const NGINX_ACCESS_LOG = 'access.log';
export const NGINX_ERROR_LOG = 'error.log';

/**
 * nginx.conf for identical server processes behind one address
 * (SCALEOUT.md §1): both sockets are WebSocket-only, so no sticky sessions;
 * `least_conn` spreads long-lived sockets by how many each process holds,
 * counted across workers in a shared zone. A process that refuses one
 * connection is skipped for 2 s (`max_fails=1 fail_timeout=2s`) and a request
 * that failed to connect is passed to the next one (`proxy_next_upstream
 * error timeout`; POSTs too, since nothing was sent), so a `kill -9` costs a
 * client nothing it can see. No `daemon` directive: the runner passes
 * `-g 'daemon off;'` to keep nginx its child.
 */
export function nginxConf({ listenPort, listenHost = '127.0.0.1', upstreamPorts, prefixDir }: NginxConfOptions): string {
  if (upstreamPorts.length === 0) throw new Error('nginxConf needs at least one upstream port');
  const inDir = (name: string) => path.join(prefixDir, name);
  const servers = upstreamPorts.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`).join('\n');
  return `# Written by scripts/cluster/nginxConf.ts.
worker_processes auto;
pid ${inDir('nginx.pid')};
error_log ${inDir(NGINX_ERROR_LOG)} warn;
# Each proxied socket holds two descriptors.
worker_rlimit_nofile 20000;

events {
  # Well above the default 1024: every open board is a WebSocket or two.
  worker_connections 8192;
}

http {
  log_format upstream '$remote_addr "$request" $status up=$upstream_addr';
  access_log ${inDir(NGINX_ACCESS_LOG)} upstream;
  # Every temp path inside the prefix: the compiled-in ones are under /var/lib/nginx.
  client_body_temp_path ${inDir('client_body_temp')};
  proxy_temp_path ${inDir('proxy_temp')};
  fastcgi_temp_path ${inDir('fastcgi_temp')};
  uwsgi_temp_path ${inDir('uwsgi_temp')};
  scgi_temp_path ${inDir('scgi_temp')};
  # Above the server's own largest body (4 MB, a carried-forward export), so the server's answer is the one a client sees.
  client_max_body_size 8m;

  # "Connection: upgrade" only on an upgrade request; otherwise close, as HTTP/1.1 to the upstream would not by default.
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }

  upstream howmight {
    least_conn;
    zone howmight 64k;
${servers}
  }

  server {
    listen ${listenHost}:${listenPort};

${proxyLocation('/', '120s', 'HTTP: a hung process must not hold a request for an hour.')}

${proxyLocation('/socket.io/', '1h', 'Sockets stay open for a whole meeting; each side pings well inside an hour.')}

${proxyLocation('/yjs/', '1h', 'The board sync socket, as above.')}
  }
}
`;
}

function proxyLocation(prefix: string, readTimeout: string, why: string): string {
  return `    # ${why}
    location ${prefix} {
      proxy_pass http://howmight;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      # With the port: the server compares a browser's Origin with Host.
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 5s;
      proxy_read_timeout ${readTimeout};
      proxy_send_timeout ${readTimeout};
    }`;
}
