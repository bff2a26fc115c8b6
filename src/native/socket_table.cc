#include "socket_table.h"

#include <unordered_map>

#include "closer.h"
#include "readiness.h"

namespace sctp_native {

namespace {

// Deliberately leaked: usrsctp's threads may still run upcalls while the process exits and static destructors run.
struct Table {
  std::mutex mutex;
  std::unordered_map<uint64_t, RecordPtr> records;
  uint64_t nextId = 1;
};

Table& table() {
  static Table* t = new Table();
  return *t;
}

}  // namespace

namespace {
// Every SocketRecord alive, in the table or not: a record that leaves the table but is never freed (a leaked
// reference) keeps its usrsctp socket open, and shows here.
std::atomic<int64_t> liveRecords{0};
}  // namespace

SocketRecord::SocketRecord(uint64_t id, struct socket* so, int family, int style)
    : id(id), so(so), family(family), style(style) {
  liveRecords.fetch_add(1);
}

int64_t LiveRecords() { return liveRecords.load(); }

SocketRecord::~SocketRecord() {
  liveRecords.fetch_sub(1);
  // Nothing can find this record any more (it left the table before its last reference dropped), so an upcall that
  // still comes looks the id up and finds nothing. The upcall stays installed: usrsctp's threads test so_upcall for
  // NULL and then call through it without a lock (holding a reference to the socket), so clearing it here could make
  // one of them call a null pointer.
  Retire(so, style, listening.load());
}

std::mutex& TableMutex() { return table().mutex; }

uint64_t TableInsert(struct socket* so, int family, int style) {
  Table& t = table();
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(t.mutex);
    id = t.nextId++;
    t.records.emplace(id, std::make_shared<SocketRecord>(id, so, family, style));
  }
  // The upcall gets the id, never a pointer: it looks the record up under the mutex.
  usrsctp_set_upcall(so, SocketUpcall, reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
  return id;
}

RecordPtr TableGet(uint64_t id, uint64_t* generation) {
  std::lock_guard<std::mutex> lock(table().mutex);
  RecordPtr rec = TableGetLocked(id);
  if (rec && generation != nullptr) *generation = rec->upcalls;
  return rec;
}

RecordPtr TableGetLocked(uint64_t id) {
  Table& t = table();
  auto it = t.records.find(id);
  return it == t.records.end() ? nullptr : it->second;
}

void TableSetAnySince(const RecordPtr& rec, uint64_t generation) {
  std::lock_guard<std::mutex> lock(table().mutex);
  rec->anySince = generation;
}

SocketRecord* TableFindLocked(uint64_t id) {
  Table& t = table();
  auto it = t.records.find(id);
  return it == t.records.end() ? nullptr : it->second.get();
}

RecordPtr TableRemoveLocked(uint64_t id) {
  Table& t = table();
  auto it = t.records.find(id);
  if (it == t.records.end()) return nullptr;
  RecordPtr rec = std::move(it->second);
  t.records.erase(it);
  return rec;
}

std::vector<RecordPtr> TableRemoveAllLocked() {
  Table& t = table();
  std::vector<RecordPtr> removed;
  removed.reserve(t.records.size());
  for (auto& entry : t.records) removed.push_back(std::move(entry.second));
  t.records.clear();
  return removed;
}

size_t TableSize() {
  Table& t = table();
  std::lock_guard<std::mutex> lock(t.mutex);
  return t.records.size();
}

}  // namespace sctp_native
