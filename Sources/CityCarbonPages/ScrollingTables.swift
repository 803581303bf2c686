import Foundation

/// Every table of a page scrolls inside its own box, so a wide table never makes a phone's
/// page scroll sideways. The box can take the keyboard's focus (a box that scrolls must, or a
/// keyboard user cannot scroll it) and is a region named by the table's caption.
package enum ScrollingTables {
    /// `html` with each `<table>` wrapped in a `<div class="scroll">`.
    package static func wrap(_ page: HTML, unnamed: String) -> HTML {
        let html = page.markup
        guard html.contains("<table") else { return page }
        var out = ""
        out.reserveCapacity(html.utf8.count + 256)
        var rest = html[...]
        while let open = rest.range(of: "<table") {
            out += rest[..<open.lowerBound]
            let label = caption(of: rest[open.lowerBound...]) ?? HTML(text: unnamed).markup
            out += #"<div class="scroll" tabindex="0" role="region" aria-label="\#(label)">"#
            rest = rest[open.lowerBound...]
            guard let close = rest.range(of: "</table>") else { break }
            out += rest[..<close.upperBound]
            out += "</div>"
            rest = rest[close.upperBound...]
        }
        out += rest
        return HTML(verbatim: out)
    }

    /// The text of the caption a table starts with, tags removed; it is already escaped markup.
    static func caption(of table: Substring) -> String? {
        guard let tagEnd = table.firstIndex(of: ">") else { return nil }
        let afterTag = table[table.index(after: tagEnd)...]
        guard afterTag.hasPrefix("<caption"), let start = afterTag.firstIndex(of: ">"),
              let end = afterTag.range(of: "</caption>") else { return nil }
        var text = ""
        var inTag = false
        for c in afterTag[afterTag.index(after: start)..<end.lowerBound] {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { text.append(c) }
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed.replacingOccurrences(of: "\"", with: "&quot;")
    }
}
