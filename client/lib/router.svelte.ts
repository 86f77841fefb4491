/** Where the browser is, as one of the app's routes. */
export type Route =
  | { name: 'home' }
  | { name: 'join'; joinCode: string }
  | { name: 'participant'; sessionId: string }
  | { name: 'facilitator'; sessionId: string }
  | { name: 'projector'; sessionId: string }
  | { name: 'cohort'; cohortId: string }
  | { name: 'member'; cohortId: string }
  | { name: 'cohortJoin'; joinCode: string }
  | { name: 'notFound' };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'j' && parts.length === 2) return { name: 'join', joinCode: parts[1]! };
  if (parts[0] === 's' && parts.length === 2) return { name: 'participant', sessionId: parts[1]! };
  if (parts[0] === 's' && parts.length === 3 && parts[2] === 'facilitate') return { name: 'facilitator', sessionId: parts[1]! };
  if (parts[0] === 's' && parts.length === 3 && parts[2] === 'project') return { name: 'projector', sessionId: parts[1]! };
  if (parts[0] === 'c' && parts.length === 2) return { name: 'cohort', cohortId: parts[1]! };
  if (parts[0] === 'm' && parts.length === 2) return { name: 'member', cohortId: parts[1]! };
  if (parts[0] === 'cj' && parts.length === 2) return { name: 'cohortJoin', joinCode: parts[1]! };
  return { name: 'notFound' };
}

class Router {
  #route = $state<Route>(parseRoute(location.pathname));

  constructor() {
    addEventListener('popstate', () => (this.#route = parseRoute(location.pathname)));
  }

  get route(): Route {
    return this.#route;
  }

  navigate(path: string): void {
    history.pushState(null, '', path);
    this.#route = parseRoute(location.pathname);
  }
}

export const router = new Router();
