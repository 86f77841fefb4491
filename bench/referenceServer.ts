/**
 * The reference: the stock y-websocket server (@y/websocket-server) with
 * persistence off, run as its own process so its CPU and memory can be read
 * from /proc. Prints `listening on http://127.0.0.1:<port>` when ready.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { docs, setupWSConnection } from '@y/websocket-server/utils';

delete process.env.YPERSISTENCE;

const server = http.createServer((req, res) => {
  if (req.url === '/__diag') {
    (globalThis as { gc?: () => void }).gc?.();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ rooms: docs.size, heapUsed: process.memoryUsage().heapUsed }));
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('okay');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => setupWSConnection(ws, req));
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
