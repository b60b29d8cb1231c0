"""A stdlib-only stand-in for MLflow 2.x's Python client: the same HTTP requests that
mlflow.store.tracking.rest_store.RestStore and mlflow.store.artifact.http_artifact_repo.
HttpArtifactRepository send (read from github:mlflow/mlflow, 2.x line), made with http.client.

What it reproduces, because servers get these details wrong:
- Endpoints and methods come from service.proto: GET for get / get-by-name / get-history /
  artifacts/list, POST with a JSON body for everything else (experiments/search too: the first
  endpoint listed for it is POST).
- Bodies are what message_to_json makes of the request proto: proto field names, unset fields
  left out, int64 fields as JSON numbers, enums by name ("ACTIVE_ONLY"), repeated fields as
  lists. The client sends both run_id and run_uuid where RestStore does.
- GET requests carry the same message as query parameters the way `requests` encodes a dict:
  urlencode with doseq (a list becomes a repeated key) and quote_plus (a space becomes '+').
- Requests carry "Authorization: Bearer <token>" (MLFLOW_TRACKING_TOKEN), a
  "User-Agent: mlflow-python-client/<version>" header, and reuse one keep-alive connection.
- Artifacts go through the proxied mlflow-artifacts routes: PUT of the raw file bytes with a
  guessed Content-Type, GET ?path=<experiment>/<run>/artifacts/<dir> to list, GET to download.

Any answer other than 200 raises MlflowError with the status and MLflow's error_code."""

import gzip
import http.client
import json
import mimetypes
import posixpath
import time
import urllib.parse
import zlib

MLFLOW_VERSION = "2.14.1"
API = "/api/2.0/mlflow"
ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts"

# ViewType as the REST store sends it (message_to_json writes enums by name).
ACTIVE_ONLY = "ACTIVE_ONLY"
DELETED_ONLY = "DELETED_ONLY"
ALL = "ALL"


class MlflowError(Exception):
    """A non-200 answer. error_code/message come from MLflow's JSON error body when there is one."""

    def __init__(self, status, body, method, path):
        self.status = status
        self.body = body
        self.method = method
        self.path = path
        self.json = None
        try:
            self.json = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            pass
        obj = self.json if isinstance(self.json, dict) else {}
        self.error_code = obj.get("error_code")
        self.message = obj.get("message")
        super().__init__(f"{method} {path} -> {status} {body[:400]!r}")


def now_ms():
    return int(time.time() * 1000)


def message(**fields):
    """A request message as message_to_json writes it: fields that are None are unset and
    left out (an empty string or an empty list that was set explicitly stays)."""
    return {k: v for k, v in fields.items() if v is not None}


def proto_double(value):
    """A double as protobuf's JSON form writes it: NaN and the infinities as strings."""
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value == float("inf"):
            return "Infinity"
        if value == float("-inf"):
            return "-Infinity"
    return value


def encode_query(params):
    """What `requests` does with params=dict for a GET: None dropped, lists repeated,
    quote_plus escaping."""
    pairs = []
    for k, v in params.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            pairs.extend((k, str(item)) for item in v)
        elif isinstance(v, bool):
            pairs.append((k, "True" if v else "False"))
        else:
            pairs.append((k, str(v)))
    return urllib.parse.urlencode(pairs)


def guess_mime_type(file_name):
    """mlflow.utils.mime_type_utils._guess_mime_type, for the files the tests upload."""
    extension = posixpath.splitext(file_name)[1].lower()
    special = {".json": "application/json", ".txt": "text/plain", ".csv": "text/csv",
               ".yaml": "text/plain", ".yml": "text/plain", ".md": "text/plain"}
    if extension in special:
        return special[extension]
    if file_name == "MLmodel":
        return "text/plain"
    mime, _ = mimetypes.guess_type(file_name)
    return mime or "application/octet-stream"


class Transport:
    """One keep-alive HTTP/1.1 connection to the tracking server, reopened when the server
    closed it (what urllib3's pool does for a stale connection)."""

    def __init__(self, host, port, token=None, timeout=120):
        self.host = host
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def headers(self, extra=None):
        h = {"User-Agent": f"mlflow-python-client/{MLFLOW_VERSION}",
             "Accept-Encoding": "gzip, deflate", "Accept": "*/*", "Connection": "keep-alive"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        h.update(extra or {})
        return h

    def send(self, method, path, body=None, headers=None):
        """Returns (status, headers, body bytes)."""
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=self.headers(headers))
                r = self.conn.getresponse()
                data = r.read()
                resp_headers = {k.lower(): v for k, v in r.getheaders()}
                if r.will_close:
                    self.close()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                    http.client.CannotSendRequest, http.client.BadStatusLine):
                self.close()
                if attempt == 1:
                    raise
        encoding = resp_headers.get("content-encoding", "").lower()
        if encoding == "gzip":
            data = gzip.decompress(data)
        elif encoding == "deflate":
            data = zlib.decompress(data)
        return r.status, resp_headers, data


class MlflowClient:
    """The REST calls RestStore makes, one method each, plus the proxied artifact calls."""

    def __init__(self, port, token=None, host="127.0.0.1", prefix=API):
        self.transport = Transport(host, port, token)
        self.prefix = prefix
        self.last_headers = {}

    def close(self):
        self.transport.close()

    # -- plumbing -------------------------------------------------------------------
    def call(self, method, endpoint, msg=None):
        """call_endpoint: GET sends msg as query parameters, anything else as a JSON body."""
        path = self.prefix + endpoint
        body = None
        headers = {}
        if method == "GET":
            if msg:
                query = encode_query(msg)
                if query:
                    path += "?" + query
        else:
            body = json.dumps(msg if msg is not None else {}).encode()
            headers["Content-Type"] = "application/json"
        status, resp_headers, data = self.transport.send(method, path, body, headers)
        self.last_headers = resp_headers
        if status != 200:
            raise MlflowError(status, data, method, path)
        parsed = json.loads(data)
        if not isinstance(parsed, dict):
            raise AssertionError(f"{method} {path}: answer is not a JSON object: {data[:200]!r}")
        return parsed

    def raw(self, method, path, body=None, headers=None):
        """An arbitrary request on the same connection; returns (status, headers, bytes)."""
        return self.transport.send(method, path, body, headers)

    # -- experiments ----------------------------------------------------------------
    def create_experiment(self, name, artifact_location=None, tags=None):
        tag_list = [{"key": k, "value": v} for k, v in (tags or {}).items()] or None
        r = self.call("POST", "/experiments/create",
                      message(name=name, artifact_location=artifact_location, tags=tag_list))
        return r["experiment_id"]

    def get_experiment(self, experiment_id):
        return self.call("GET", "/experiments/get",
                         message(experiment_id=str(experiment_id)))["experiment"]

    def get_experiment_by_name(self, name):
        """Returns None for RESOURCE_DOES_NOT_EXIST, as RestStore does."""
        try:
            return self.call("GET", "/experiments/get-by-name",
                             message(experiment_name=name))["experiment"]
        except MlflowError as e:
            if e.error_code == "RESOURCE_DOES_NOT_EXIST":
                return None
            raise

    def search_experiments(self, view_type=ACTIVE_ONLY, max_results=1000, filter_string=None,
                           order_by=None, page_token=None):
        """One page: (experiments, next_page_token or None)."""
        r = self.call("POST", "/experiments/search",
                      message(view_type=view_type, max_results=max_results, page_token=page_token,
                              order_by=order_by, filter=filter_string))
        return r.get("experiments", []), r.get("next_page_token") or None

    def rename_experiment(self, experiment_id, new_name):
        return self.call("POST", "/experiments/update",
                         message(experiment_id=str(experiment_id), new_name=new_name))

    def delete_experiment(self, experiment_id):
        return self.call("POST", "/experiments/delete", message(experiment_id=str(experiment_id)))

    def restore_experiment(self, experiment_id):
        return self.call("POST", "/experiments/restore", message(experiment_id=str(experiment_id)))

    def set_experiment_tag(self, experiment_id, key, value):
        return self.call("POST", "/experiments/set-experiment-tag",
                         message(experiment_id=str(experiment_id), key=key, value=str(value)))

    # -- runs -----------------------------------------------------------------------
    def create_run(self, experiment_id, start_time=None, tags=None, run_name=None,
                   user_id="mlflow-it"):
        """MlflowClient.create_run: start_time defaults to now, user_id from the environment,
        the source tags that mlflow's context providers add."""
        all_tags = {"mlflow.user": user_id, "mlflow.source.name": "test_mlflow_api.py",
                    "mlflow.source.type": "LOCAL"}
        all_tags.update(tags or {})
        r = self.call("POST", "/runs/create",
                      message(experiment_id=str(experiment_id), user_id=user_id,
                              start_time=start_time if start_time is not None else now_ms(),
                              tags=[{"key": k, "value": v} for k, v in all_tags.items()],
                              run_name=run_name))
        return r["run"]

    def get_run(self, run_id):
        return self.call("GET", "/runs/get", message(run_uuid=run_id, run_id=run_id))["run"]

    def update_run(self, run_id, status=None, end_time=None, run_name=None):
        r = self.call("POST", "/runs/update",
                      message(run_uuid=run_id, run_id=run_id, status=status, end_time=end_time,
                              run_name=run_name))
        return r["run_info"]

    def set_terminated(self, run_id, status="FINISHED", end_time=None):
        return self.update_run(run_id, status=status,
                               end_time=end_time if end_time is not None else now_ms())

    def delete_run(self, run_id):
        return self.call("POST", "/runs/delete", message(run_id=run_id))

    def restore_run(self, run_id):
        return self.call("POST", "/runs/restore", message(run_id=run_id))

    def search_runs(self, experiment_ids, filter_string="", run_view_type=ACTIVE_ONLY,
                    max_results=1000, order_by=None, page_token=None):
        """One page: (runs, next_page_token or None). MlflowClient.search_runs passes
        filter_string="" and max_results=1000 by default; both are then sent."""
        r = self.call("POST", "/runs/search",
                      message(experiment_ids=[str(e) for e in experiment_ids],
                              filter=filter_string, run_view_type=run_view_type,
                              max_results=max_results, order_by=order_by, page_token=page_token))
        return r.get("runs", []), r.get("next_page_token") or None

    def search_all_runs(self, experiment_ids, page_size, **kwargs):
        """Follows next_page_token to the end; returns (runs, number of pages)."""
        runs, token, pages = [], None, 0
        while True:
            page, token = self.search_runs(experiment_ids, max_results=page_size,
                                           page_token=token, **kwargs)
            pages += 1
            runs.extend(page)
            if not token:
                return runs, pages
            if pages > 10000:
                raise AssertionError("pagination does not end")

    # -- logging --------------------------------------------------------------------
    def log_metric(self, run_id, key, value, timestamp=None, step=None):
        return self.call("POST", "/runs/log-metric",
                         message(run_uuid=run_id, run_id=run_id, key=key, value=proto_double(value),
                                 timestamp=timestamp if timestamp is not None else now_ms(),
                                 step=step or 0))

    def log_param(self, run_id, key, value):
        return self.call("POST", "/runs/log-parameter",
                         message(run_uuid=run_id, run_id=run_id, key=key, value=str(value)))

    def set_tag(self, run_id, key, value):
        return self.call("POST", "/runs/set-tag",
                         message(run_uuid=run_id, run_id=run_id, key=key, value=str(value)))

    def delete_tag(self, run_id, key):
        return self.call("POST", "/runs/delete-tag", message(run_id=run_id, key=key))

    def log_batch(self, run_id, metrics=(), params=(), tags=()):
        """metrics: (key, value, timestamp, step) tuples; params/tags: (key, value) tuples."""
        return self.call("POST", "/runs/log-batch", message(
            metrics=[{"key": k, "value": proto_double(v), "timestamp": t, "step": s}
                     for k, v, t, s in metrics] or None,
            params=[{"key": k, "value": str(v)} for k, v in params] or None,
            tags=[{"key": k, "value": str(v)} for k, v in tags] or None,
            run_id=run_id))

    def get_metric_history(self, run_id, key, max_results=None, page_token=None):
        r = self.call("GET", "/metrics/get-history",
                      message(run_uuid=run_id, run_id=run_id, metric_key=key,
                              max_results=max_results, page_token=page_token))
        return r.get("metrics", [])

    # -- artifacts ------------------------------------------------------------------
    def list_artifacts_rest(self, run_id, path=None):
        """GET /api/2.0/mlflow/artifacts/list (ListArtifacts): {root_uri, files[]}."""
        return self.call("GET", "/artifacts/list", message(run_id=run_id, run_uuid=run_id, path=path))

    @staticmethod
    def artifact_root_path(artifact_uri):
        """mlflow-artifacts:/<exp>/<run>/artifacts -> the proxied route's path for it."""
        parsed = urllib.parse.urlparse(artifact_uri)
        if parsed.scheme != "mlflow-artifacts":
            raise AssertionError(f"not an mlflow-artifacts URI: {artifact_uri}")
        return ARTIFACTS_API + "/" + parsed.path.lstrip("/")

    def log_artifact_bytes(self, artifact_uri, file_name, data, artifact_path=None):
        """HttpArtifactRepository.log_artifact: PUT <root>/<artifact_path>/<file_name>."""
        paths = (artifact_path, file_name) if artifact_path else (file_name,)
        path = posixpath.join(self.artifact_root_path(artifact_uri), *paths)
        status, _, body = self.transport.send("PUT", path, data,
                                              {"Content-Type": guess_mime_type(file_name)})
        if status != 200:
            raise MlflowError(status, body, "PUT", path)
        return body

    def list_artifacts(self, artifact_uri, path=None):
        """HttpArtifactRepository.list_artifacts: GET the route with ?path=<root tail>/<path>;
        returns FileInfo-like dicts with paths relative to the run's root, sorted."""
        tail = urllib.parse.urlparse(artifact_uri).path.lstrip("/")
        q = encode_query({"path": posixpath.join(tail, path) if path else tail})
        status, _, body = self.transport.send("GET", f"{ARTIFACTS_API}?{q}")
        if status != 200:
            raise MlflowError(status, body, "GET", f"{ARTIFACTS_API}?{q}")
        files = json.loads(body).get("files", [])
        out = []
        for f in files:
            rel = posixpath.join(path, f["path"]) if path else f["path"]
            out.append({"path": rel, "is_dir": f.get("is_dir", False), "file_size": f.get("file_size"),
                        "raw": f})
        return sorted(out, key=lambda f: f["path"])

    def download_artifact(self, artifact_uri, remote_path):
        """HttpArtifactRepository._download_file: GET <root>/<remote_path>."""
        path = posixpath.join(self.artifact_root_path(artifact_uri), remote_path)
        status, _, body = self.transport.send("GET", path)
        if status != 200:
            raise MlflowError(status, body, "GET", path)
        return body
