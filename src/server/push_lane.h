// How a sync push's rules reach the database (sync_service.cpp). The rules of a batch and its SQLite
// writes are each about half of a push's work, and on a 2-core server they can overlap: the rules run
// on a helper thread while the thread that holds the write transaction (its lock and its read routes
// are that thread's: sqlite_store.h) runs the writes, in the order the rules made them.
//
// Every store or database call the rules make (PushRecordCache, SyncRulesView) goes through `call`, and
// every write through `post`. In a lane, one FIFO queue carries both, so a read the rules make runs after
// every write they queued before it and sees it: the rules see the transaction exactly as they would
// have without the helper. DirectLane runs both at once, on the caller's thread (small pushes, and the
// replay of a push whose speculation failed).
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace cl::server {

class PushLane {
 public:
  virtual ~PushLane() = default;
  // Runs fn where the transaction is, after every write posted before it, and returns when it has run.
  virtual void call(const std::function<void()>& fn) = 0;
  // Runs fn there, in order; a lane returns at once.
  virtual void post(std::function<void()> fn) = 0;
  // True once a posted write found that the rules' assumption was wrong (stop) or threw: the rest of
  // the batch is not worth computing, the transaction will be rolled back.
  virtual bool stopped() const = 0;
};

// Runs everything at once, on the calling thread.
class DirectLane final : public PushLane {
 public:
  void call(const std::function<void()>& fn) override { fn(); }
  void post(std::function<void()> fn) override { fn(); }
  bool stopped() const override { return false; }
};

// The two-thread lane. The helper thread (the rules) calls call/post and finally finish (or fail); the
// transaction's thread calls serve, which runs the jobs until finish, then join and rethrow.
class PipelinedLane final : public PushLane {
 public:
  void call(const std::function<void()>& fn) override;
  void post(std::function<void()> fn) override;
  bool stopped() const override;

  // Helper thread: runs the helper's work, then finish, or fail if it throws.
  void run_helper(const std::function<void()>& work);
  // Helper thread: no more jobs. fail: the helper itself threw (rethrown on the transaction's thread).
  void finish();
  void fail(std::exception_ptr e);
  // Transaction's thread, from a job: skip every later job (a write found the rules' assumption wrong).
  void stop();

  // Transaction's thread: runs jobs until finish; a job that throws stops the lane and keeps its error.
  void serve();
  // Transaction's thread, after the helper is joined: the first error, if any.
  void rethrow_error();

 private:
  struct Job {
    std::function<void()> fn;
    std::atomic<bool>* done = nullptr;  // set (under the lock) once a call's job has run or been skipped
  };
  void push(Job job);

  mutable std::mutex mutex_;
  std::condition_variable jobs_ready_;  // the transaction's thread waits for jobs
  std::condition_variable call_done_;   // the helper waits for its call
  std::vector<Job> queue_;
  std::atomic<std::size_t> queued_{0};  // queue_.size() (+1 once finished), for serve's spin without the lock
  bool finished_ = false;
  std::atomic<bool> stopped_{false};  // read by the helper between mutations, without the lock
  std::exception_ptr error_;
};

// The long-lived thread a service runs its pipelined pushes' rules on, one push at a time (pushes are
// serialised by the write transaction anyway; start waits for the previous task if one still runs). A
// thread made for each push was much slower on the wall clock (bench/server_sync_bench.cpp, 6
// interleaved pairs: median 67.5k against 87k mutations/s) for about the same instructions
// (callgrind): what it cost was making and first running a thread, not the work.
class HelperThread {
 public:
  HelperThread() = default;
  ~HelperThread();
  HelperThread(const HelperThread&) = delete;
  HelperThread& operator=(const HelperThread&) = delete;

  // Runs task on the helper (started on first use) and returns at once; join waits for it to end.
  void start(std::function<void()> task);
  void join();

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<std::function<void()>> task_;  // set by start, cleared by the helper when done
  bool busy_ = false;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace cl::server
