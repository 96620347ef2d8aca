#include "app/vm/tag_value_counts.h"

namespace cl::app {

void TagValueCounts::set(const Id& id, const Customer* c) {
  if (auto it = value_of_.find(id); it != value_of_.end()) {
    if (--counts_[it->second] == 0) counts_.erase(it->second);
    value_of_.erase(it);
  }
  if (!c) return;
  auto t = c->tags.find(group_);
  if (t == c->tags.end() || t->second.empty()) return;
  value_of_[id] = t->second;
  ++counts_[t->second];
}

void TagValueCounts::rebuild(const LocalReplica& replica) {
  value_of_.clear();
  counts_.clear();
  for (const auto& [id, c] : replica.customers()) set(id, &c);
  replica_ = &replica;
  generation_ = replica.generation();
  journal_pos_ = replica.journal().size();
}

void TagValueCounts::sync(const LocalReplica& replica) {
  if (&replica == replica_ && replica.revision() == seen_revision_) return;
  seen_revision_ = replica.revision();
  const auto& journal = replica.journal();
  // Another replica, a cleared one, or a backlog (first sync) bigger than a rescan: count again.
  if (&replica != replica_ || replica.generation() != generation_ || journal.size() < journal_pos_ ||
      journal.size() - journal_pos_ > replica.customers().size() / 2 + 1000) {
    rebuild(replica);
    return;
  }
  for (; journal_pos_ < journal.size(); ++journal_pos_)
    if (journal[journal_pos_].kind == RecordKind::Customer)
      set(journal[journal_pos_].id, replica.customer(journal[journal_pos_].id));
}

}  // namespace cl::app
