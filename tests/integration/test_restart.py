"""On start the server reconciles jobs that were running; nothing completed is lost."""

import copy
import os
import signal
import unittest

from traind_harness import SEED_CONFIG, Server, poll, worker_pids


class RestartTest(unittest.TestCase):
    def test_killed_server_restarts_reconciles_and_keeps_completed_results(self):
        server = Server().start()
        try:
            key = server.key("acme-corp")
            admin_key = server.key("admin")
            done_id = server.submit(SEED_CONFIG, key).json()["job_id"]
            done = server.wait_status(done_id, key)
            self.assertEqual(done["status"], "completed", done)

            cfg = copy.deepcopy(SEED_CONFIG)
            cfg["hyperparameters"] = {"n_estimators": 100000}
            running_id = server.submit(cfg, key).json()["job_id"]
            poll(lambda: server.job(running_id, key)["status"] == "running", what="job to run")

            server.stop(signal.SIGKILL)
            poll(lambda: not worker_pids(running_id), timeout=60, what="orphaned worker to end")

            server.start()
            # The keys survive and no new ones are made.
            self.assertEqual(server.key("acme-corp"), key)
            self.assertEqual(server.key("admin"), admin_key)
            again = server.job(done_id, key)
            self.assertEqual(again["status"], "completed")
            self.assertEqual(again["metrics"], done["metrics"])
            model = server.request("GET", f"/api/v1/ml/models/{done['model_artifact_id']}/download", key=key)
            self.assertEqual(model.status, 200)
            lost = server.job(running_id, key)
            self.assertEqual(lost["status"], "failed", lost)
            self.assertEqual(lost["error"]["code"], "SERVER_RESTARTED", lost)
            # And it still trains.
            new_id = server.submit(SEED_CONFIG, key).json()["job_id"]
            self.assertEqual(server.wait_status(new_id, key)["status"], "completed")
        finally:
            server.cleanup()

    def test_key_files_are_private(self):
        server = Server().start()
        try:
            for name in ("admin", "acme-corp"):
                mode = os.stat(os.path.join(server.data_dir, f"{name}.key")).st_mode & 0o777
                self.assertEqual(mode, 0o600)
        finally:
            server.cleanup()

    def test_no_demo_skips_the_demo_tenant(self):
        server = Server(extra_args=["--no-demo"]).start()
        try:
            self.assertFalse(os.path.exists(os.path.join(server.data_dir, "acme-corp.key")))
            self.assertTrue(os.path.exists(os.path.join(server.data_dir, "admin.key")))
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
