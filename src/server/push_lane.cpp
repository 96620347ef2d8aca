#include "server/push_lane.h"

#include <chrono>
#include <utility>

namespace cl::server {

namespace {

// Waiting for the other thread: spin briefly before sleeping. A hand-over between the two threads
// comes every few microseconds in a busy push, and waking a sleeping thread on the other core (a futex
// and an inter-processor interrupt, a VM exit on a virtual machine) costs more than that.
template <class Ready>
bool spin_until(Ready ready) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
  for (int i = 1;; ++i) {
    if (ready()) return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if (i % 64 == 0 && std::chrono::steady_clock::now() > until) return false;
  }
}

}  // namespace

void PipelinedLane::push(Job job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
    queued_.store(queue_.size(), std::memory_order_release);
  }
  jobs_ready_.notify_one();  // no system call unless serve sleeps
}

void PipelinedLane::post(std::function<void()> fn) { push(Job{std::move(fn), nullptr}); }

void PipelinedLane::call(const std::function<void()>& fn) {
  std::atomic<bool> done{false};
  // The job refers to fn and done on this frame: the helper waits here until it has run.
  push(Job{[&fn] { fn(); }, &done});
  if (spin_until([&] { return done.load(std::memory_order_acquire); })) return;
  std::unique_lock lock(mutex_);
  call_done_.wait(lock, [&] { return done.load(std::memory_order_acquire); });
}

bool PipelinedLane::stopped() const { return stopped_.load(); }

void PipelinedLane::run_helper(const std::function<void()>& work) {
  try {
    work();
  } catch (...) {
    fail(std::current_exception());
    return;
  }
  finish();
}

void PipelinedLane::finish() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
    queued_.store(queue_.size() + 1, std::memory_order_release);  // wakes a spinning serve
  }
  jobs_ready_.notify_one();
}

void PipelinedLane::fail(std::exception_ptr e) {
  {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(e);
    stopped_ = true;
    finished_ = true;
    queued_.store(queue_.size() + 1, std::memory_order_release);
  }
  jobs_ready_.notify_one();
}

void PipelinedLane::stop() { stopped_ = true; }

void PipelinedLane::serve() {
  std::vector<Job> batch;
  for (;;) {
    spin_until([&] { return queued_.load(std::memory_order_acquire) > 0; });
    {
      std::unique_lock lock(mutex_);
      jobs_ready_.wait(lock, [&] { return !queue_.empty() || finished_; });
      if (queue_.empty()) return;  // finished, and everything before it has run
      batch.swap(queue_);
      queued_.store(finished_ ? 1 : 0, std::memory_order_release);
    }
    // Jobs run outside the lock: the helper keeps queueing while SQLite works.
    for (Job& job : batch) {
      if (!stopped_.load()) {
        try {
          job.fn();
        } catch (...) {
          std::lock_guard lock(mutex_);
          if (!error_) error_ = std::current_exception();
          stopped_ = true;
        }
      }
      if (job.done) {
        {
          // Under the lock, so a helper between its check and its wait cannot miss the notify.
          std::lock_guard lock(mutex_);
          job.done->store(true, std::memory_order_release);
        }
        call_done_.notify_one();
      }
    }
    batch.clear();
  }
}

void PipelinedLane::rethrow_error() {
  std::exception_ptr e;
  {
    std::lock_guard lock(mutex_);
    e = error_;
  }
  if (e) std::rethrow_exception(e);
}

HelperThread::~HelperThread() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HelperThread::start(std::function<void()> task) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !busy_; });  // one task at a time
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    task_ = std::move(task);
    busy_ = true;
  }
  changed_.notify_all();
}

void HelperThread::join() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !busy_; });
}

void HelperThread::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return quit_ || task_.has_value(); });
    if (!task_) return;  // quit, nothing left to run
    std::function<void()> task = std::move(*task_);
    task_.reset();
    lock.unlock();
    task();  // the caller's task catches its own exceptions (sync_service.cpp hands them to the lane)
    task = nullptr;
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace cl::server
