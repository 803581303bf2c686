/// How wide a line of chart text will be, estimated without a font: SVG drawn on the server
/// cannot measure, so layouts are planned against a generous estimate and the browser test
/// checks the real boxes for overlap and clipping.
package enum ChartText {
    /// The font size of every chart's text, in the chart's own units. Each chart is drawn at a
    /// width (``ChartSize``) chosen so that this renders at 11 px or more where it is shown.
    package static let size = 12.0

    /// The advance of `text` at `size`: ideographs and full-width forms one em, capitals and
    /// digits about 0.65 em, narrow letters and punctuation less.
    package static func width(_ text: String, size: Double = ChartText.size) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
                 0x20000...0x3FFFD:
                ems += 1
            case 0x20, 0x2C, 0x2E, 0x3A, 0x3B, 0x27, 0x7C, 0x69, 0x6A, 0x6C, 0x2019, 0x2009, 0x202F:
                ems += 0.32
            case 0x41...0x5A, 0x6D, 0x77, 0x2014, 0x2212:
                ems += 0.75
            default:
                ems += 0.62
            }
        }
        return ems * size
    }

    /// `text` broken into at most `lines` lines no wider than `width`: at spaces, or anywhere
    /// between ideographs; the last line ends in "…" when the text does not fit.
    package static func wrap(_ text: String, width: Double, lines: Int, size: Double = ChartText.size) -> [String] {
        var result: [String] = []
        var current = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            // The next piece: a word with its trailing space, or one ideograph.
            var piece = ""
            while let c = rest.first {
                piece.append(c)
                rest = rest.dropFirst()
                if c == " " || c.unicodeScalars.first.map({ $0.value >= 0x2E80 }) == true { break }
                if let next = rest.first, next.unicodeScalars.first.map({ $0.value >= 0x2E80 }) == true { break }
            }
            if current.isEmpty || Self.width(current + piece.trimmingTrailingSpace, size: size) <= width {
                current += piece
            } else {
                result.append(current.trimmingTrailingSpace)
                current = piece
            }
        }
        if !current.isEmpty { result.append(current.trimmingTrailingSpace) }
        guard result.count > lines || result.contains(where: { Self.width($0, size: size) > width }) else { return result }
        var kept = Array(result.prefix(lines))
        let overflow = result.count > lines
        for i in kept.indices where Self.width(kept[i], size: size) > width || (overflow && i == kept.count - 1) {
            var line = kept[i]
            while !line.isEmpty, Self.width(line + "…", size: size) > width { line.removeLast() }
            kept[i] = line.trimmingTrailingSpace + "…"
        }
        return kept
    }
}

extension String {
    fileprivate var trimmingTrailingSpace: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
