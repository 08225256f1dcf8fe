// A worker's thread (see worker_thread.h).
#include "host/transformer/worker_thread.h"

namespace switchyard::transformer {

WorkerThread::WorkerThread() : thread_([this] { loop(); }) {}

WorkerThread::~WorkerThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void WorkerThread::run(const std::function<void()> &job) {
    std::unique_lock lock(mutex_);
    job_ = &job;
    thrown_ = nullptr;
    changed_.notify_all();
    changed_.wait(lock, [this] { return job_ == nullptr; });
    if (thrown_) std::rethrow_exception(thrown_);  // cppcheck-suppress knownConditionTrueFalse ; set by the worker thread
}

void WorkerThread::loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return job_ != nullptr || stopping_; });
        if (job_ == nullptr) return;
        lock.unlock();
        std::exception_ptr thrown;
        try {
            (*job_)();
        } catch (...) {
            thrown = std::current_exception();
        }
        lock.lock();
        thrown_ = thrown;
        job_ = nullptr;
        changed_.notify_all();
    }
}

}  // namespace switchyard::transformer
