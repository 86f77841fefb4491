import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { io } from 'socket.io-client';
import type { CreateSessionResponse, JoinSessionResponse } from '../shared/api.ts';

/** What the client benches share: one Chromium, the facilitator's commands, a participant's page. */

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Sends the facilitator's commands in order over socket.io, as the facilitator's page does; throws on a refusal. */
export async function facilitatorCommands(baseUrl: string, token: string, commands: Array<Record<string, unknown>>): Promise<void> {
  const socket = io(baseUrl, { auth: { token }, transports: ['websocket'], forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('welcome', () => resolve());
      socket.once('connect_error', reject);
    });
    for (const command of commands) {
      const ack = await socket.timeout(10_000).emitWithAck('command', command);
      if (!(ack as { ok?: boolean }).ok) throw new Error(`bench: ${JSON.stringify(command)} refused: ${JSON.stringify(ack)}`);
    }
  } finally {
    socket.disconnect();
  }
}

/** A fresh browser context (no cache, no service worker, empty IndexedDB) holding the participant's credential. */
export async function participantContext(browser: Browser, session: CreateSessionResponse, me: JoinSessionResponse, name: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript(
    ([key, value]) => localStorage.setItem(key!, value!),
    [`howmight.participant.${session.id}`, JSON.stringify({ token: me.participantToken, participantId: me.participantId, name })],
  );
  return context;
}

/** The projector at 1920×1080; its token rides in the URL fragment (`projectorUrl`). */
export function projectorContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1920, height: 1080 } });
}

export const participantUrl = (baseUrl: string, session: CreateSessionResponse) => `${baseUrl}/s/${session.id}`;
export const projectorUrl = (baseUrl: string, session: CreateSessionResponse) => `${baseUrl}/s/${session.id}/project#${session.projectorToken}`;
