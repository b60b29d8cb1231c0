// The page's only way to traind: JSON over fetch with the API key of this browser session,
// and live events over WebSocket. The key lives in sessionStorage: it is gone when the
// browser session ends and is never written anywhere else.

const KEY_ITEM = "traind.api_key";

export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM) || "";
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

// An error answer of the API (API.md's shape): code, message, details ([{path, message}],
// path a JSON Pointer into the request body).
export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || "HTTP_" + status;
    this.details = Array.isArray(err.details) ? err.details : [];
    this.requestId = err.request_id || "";
  }
}

// Calls the API; resolves with the decoded JSON body, rejects with ApiError.
// A 401 clears the key and sends the person back to sign in.
export async function api(path, { method = "GET", body, signal } = {}) {
  const headers = { Authorization: "Bearer " + apiKey() };
  const init = { method, headers, signal };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401) {
      setApiKey("");
      window.dispatchEvent(new CustomEvent("traind:signed-out"));
    }
    throw new ApiError(res.status, json);
  }
  return json;
}

// Opens a live event stream (WebSocket) on `path`: a job's events
// (/api/v1/ml/train/{id}/events) or every job of the tenant (/api/v1/ml/events).
// Browsers cannot set headers on a WebSocket, so the key travels as a subprotocol
// ("traind.bearer.<key>") beside "traind.v1", the one the server selects.
// Returns {opened, close()}: `opened` resolves true once the socket is open (a list must be
// subscribed before it fetches, or an event between the two is lost), false if it never is.
// onEvent gets each decoded event; onEnd(reason) once when it closes.
export function openEvents(path, onEvent, onEnd = () => {}) {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  const ws = new WebSocket(url, ["traind.v1", "traind.bearer." + apiKey()]);
  let ended = false;
  let settleOpen;
  const opened = new Promise((resolve) => (settleOpen = resolve));
  const end = (reason) => {
    settleOpen(false);
    if (ended) return;
    ended = true;
    onEnd(reason);
  };
  ws.onopen = () => settleOpen(true);
  ws.onmessage = (m) => {
    let event;
    try {
      event = JSON.parse(m.data);
    } catch {
      return;
    }
    onEvent(event);
  };
  ws.onerror = () => end("error");
  ws.onclose = (e) => end(e.code === 1000 ? "done" : "closed");
  return {
    opened,
    close() {
      ended = true;
      settleOpen(false);
      ws.close();
    },
  };
}
