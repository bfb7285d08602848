// Collection: what one sync session moves — which local files, under which key prefix,
// and whether they are immutable. The session (session.h) knows only this interface;
// each kind of data (a project's runs, a device's usage files) implements it once.
#pragma once

#include <string>

#include "core/env.h"
#include "sync/manifest.h"
#include "sync/sync_engine.h"

namespace lq::sync {

class Collection {
 public:
  virtual ~Collection() = default;
  // Key prefix of every file, relative to the destination's root, ending in '/'.
  virtual std::string prefix() const = 0;
  // True when every file is written once under a unique name and never modified (run
  // files): then size and mtime identify the content, a same-size object found at the
  // destination is adopted, and settled folders may be taken from the manifest. False
  // for files rewritten in place (daily usage): they are compared by content hash.
  virtual bool immutable() const = 0;
  // The local folder the files come from: a destination inside it (or around it) is
  // refused. "" when there is none.
  virtual std::string source_root() const = 0;
  // The files, keyed under prefix(). `settled` is passed only for immutable
  // collections (null otherwise, and with --force): leaf folders it knows as settled
  // need not be listed (ListLocalTree's TreeOptions::settled).
  virtual LocalTree List(Env* env, const Manifest* settled) = 0;
};

}  // namespace lq::sync
