// The demo's HTML page: the text report, then one plot per replayed recording — the three
// components, the analyst's P and S, the node's P and S picks and the STA/LTA triggers — as inline
// SVG, so the page is one self-contained file that opens anywhere.
#pragma once

#include <string>
#include <vector>

#include "apps/seismic/demo/replay.h"
#include "tools/data/seismic_dataset.h"
#include "tools/seismic/pick_metrics.h"

namespace mote::seismic::demo {

// The page for `replay` of `data`, with `stalta` (one per replayed trace, in replay order) and the
// text report `summary` at the top.
std::string html_report(const tools::SeismicDataset& data, const ReplayResult& replay,
                        const std::vector<tools::TraceDetections>& stalta,
                        const std::string& summary);

// `text` with &, <, > and " escaped for HTML.
std::string html_escape(const std::string& text);

}  // namespace mote::seismic::demo
