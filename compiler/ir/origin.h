// Where an IR node came from: its source range and the ranges of the attributes that set its
// fields. Origins never take part in equality, so two IR values that mean the same job compare
// equal wherever they were written (the diff engine relies on that).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diag/source_manager.h"

namespace drover::ir {

struct Origin {
  diag::SourceRange range;  ///< the block (or attribute) the node was decoded from
  /// HCL attribute name -> range of its value, in decoding order.
  std::vector<std::pair<std::string, diag::SourceRange>> fields;

  /// The range of attribute `name`, or the node's own range when it was not set explicitly.
  diag::SourceRange Field(std::string_view name) const {
    for (const auto& [n, r] : fields) {
      if (n == name) return r;
    }
    return range;
  }
  bool HasField(std::string_view name) const {
    for (const auto& f : fields) {
      if (f.first == name) return true;
    }
    return false;
  }
  void Set(std::string name, diag::SourceRange r) { fields.emplace_back(std::move(name), r); }

  bool operator==(const Origin&) const { return true; }
};

}  // namespace drover::ir
