#include "apps/seismic/demo/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace mote::seismic::demo {
namespace {

constexpr int kWidth = 960;       // plot width in pixels: one min/max column per pixel
constexpr int kTraceHeight = 46;  // per component
constexpr int kMarginTop = 18;

const char* const kComponentNames[] = {"E", "N", "Z"};
const char* const kComponentColours[] = {"#7a8ca3", "#8fa37a", "#33415c"};

double x_of(double sample, std::size_t samples) {
  return sample * static_cast<double>(kWidth) / static_cast<double>(samples);
}

// One component as a min/max envelope per pixel column, scaled to its own peak: a 9001-sample
// trace becomes 960 vertical strokes, small enough for 30 plots on one page.
std::string component_path(std::span<const float> x, double top) {
  double mean = 0.0;
  for (float v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double peak = 0.0;
  for (float v : x) peak = std::max(peak, std::fabs(v - mean));
  if (peak == 0.0)
    return fmt::format("M0 {:.1f} L{} {:.1f}", top + kTraceHeight / 2.0, kWidth,
                       top + kTraceHeight / 2.0);
  const double mid = top + kTraceHeight / 2.0;
  const double scale = (kTraceHeight / 2.0 - 1.0) / peak;
  std::string d;
  for (int px = 0; px < kWidth; ++px) {
    const std::size_t a = static_cast<std::size_t>(px) * x.size() / kWidth;
    const std::size_t b = std::max(a + 1, static_cast<std::size_t>(px + 1) * x.size() / kWidth);
    double lo = x[a] - mean, hi = lo;
    for (std::size_t i = a; i < b && i < x.size(); ++i) {
      lo = std::min(lo, x[i] - mean);
      hi = std::max(hi, x[i] - mean);
    }
    d += fmt::format("M{} {:.1f}V{:.1f}", px, mid - hi * scale, mid - lo * scale);
  }
  return d;
}

std::string marker(double x, double height, const char* colour, const char* dash,
                   const std::string& title) {
  return fmt::format(
      "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='{3}' stroke-width='1.5' "
      "stroke-dasharray='{4}'><title>{5}</title></line>",
      x, kMarginTop, height, colour, dash, html_escape(title));
}

std::string pick_flag(double x, int row, const char* colour, const std::string& label,
                      const std::string& title) {
  const int y = 2 + row * 8;
  return fmt::format(
      "<g><title>{4}</title><polygon points='{0:.1f},{1} {2:.1f},{1} {0:.1f},{3}' fill='{5}'/>"
      "<text x='{6:.1f}' y='{7}' font-size='9' fill='{5}'>{8}</text></g>",
      x - 4, y, x + 4, y + 7, html_escape(title), colour, x + 5, y + 7, html_escape(label));
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_report(const tools::SeismicDataset& data, const ReplayResult& replay,
                        const std::vector<tools::TraceDetections>& stalta,
                        const std::string& summary) {
  std::string page =
      "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
      "<title>mote demo seismic</title><style>"
      "body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
      "pre{background:#f5f5f5;padding:12px;overflow-x:auto;font-size:12px}"
      "figure{margin:0 0 18px 0}figcaption{font-size:12px;margin-bottom:2px}"
      ".key span{margin-right:16px;font-size:12px}</style></head><body>\n"
      "<h1>mote demo seismic</h1>\n<pre>" +
      html_escape(summary) +
      "</pre>\n<h2>Held-out recordings</h2>\n<p class='key'>"
      "<span style='color:#1f6fd1'>- - analyst P</span><span style='color:#d1451f'>- - analyst "
      "S</span><span style='color:#1f6fd1'>&#9660; node P</span><span style='color:#d1451f'>"
      "&#9660; node S</span><span style='color:#888'>&#9660; STA/LTA trigger</span>"
      "<span>shaded: the broker was down while this recording was replayed</span></p>\n";
  const std::size_t samples = data.samples_per_trace();
  const double height = kMarginTop + 3.0 * kTraceHeight + 14;
  for (std::size_t i = 0; i < replay.traces.size(); ++i) {
    const std::size_t t = replay.traces[i];
    const tools::SeismicLabel& l = data.label(t);
    const bool down = i >= replay.outage_first_trace && i < replay.outage_end_trace;
    page += fmt::format(
        "<figure><figcaption>{} — station {}, {}{}</figcaption>"
        "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' "
        "style='background:{}'>",
        html_escape(l.id), html_escape(l.station), html_escape(l.instrument),
        l.vertical_only ? ", vertical only" : "", kWidth, height, down ? "#fff4e5" : "#ffffff");
    const std::span<const float> x = data.trace(t);
    for (int c = 0; c < 3; ++c) {
      const double top = kMarginTop + c * kTraceHeight;
      page += fmt::format(
          "<path d='{}' stroke='{}' stroke-width='1' fill='none'/>"
          "<text x='2' y='{:.0f}' font-size='10' fill='#555'>{}</text>",
          component_path(x.subspan(static_cast<std::size_t>(c) * samples, samples), top),
          kComponentColours[c], top + 12, kComponentNames[c]);
    }
    for (int s = 0; s <= static_cast<int>(samples / 100); s += 10) {
      page += fmt::format("<text x='{:.1f}' y='{:.0f}' font-size='9' fill='#999'>{} s</text>",
                          x_of(s * 100.0, samples), height - 2, s);
    }
    const double bottom = kMarginTop + 3.0 * kTraceHeight;
    if (l.p_index >= 0) {
      page += marker(x_of(static_cast<double>(l.p_index), samples), bottom, "#1f6fd1", "4 3",
                     fmt::format("analyst P at {:.2f} s", l.p_index / 100.0));
    }
    if (l.s_index >= 0) {
      page += marker(x_of(static_cast<double>(l.s_index), samples), bottom, "#d1451f", "4 3",
                     fmt::format("analyst S at {:.2f} s", l.s_index / 100.0));
    }
    for (const Pick& p : replay.detections[i].picks) {
      const bool is_p = p.phase == Phase::kP;
      page += pick_flag(x_of(p.sample, samples), 0, is_p ? "#1f6fd1" : "#d1451f", is_p ? "P" : "S",
                        fmt::format("node {} at {:.2f} s, confidence {:.2f}", is_p ? "P" : "S",
                                    p.sample / 100.0, p.confidence));
    }
    if (i < stalta.size()) {
      for (const Pick& p : stalta[i].picks) {
        page += pick_flag(x_of(p.sample, samples), 1, "#888888", "",
                          fmt::format("STA/LTA trigger at {:.2f} s", p.sample / 100.0));
      }
    }
    page += "</svg></figure>\n";
  }
  page += "</body></html>\n";
  return page;
}

}  // namespace mote::seismic::demo
