import Foundation

/// Small helpers for writing SVG and HTML by hand: escaping, compact numbers, nice axis ticks.
package enum Markup {
    /// Text made safe for HTML and SVG content and attribute values.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A path segment (a plan or action identifier) percent-encoded so that it is safe in a URL,
    /// a `Location` header and an HTML attribute alike.
    package static func percentEncoded(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#&'\"<>;=+"))) ?? ""
    }

    /// The opening tag of a chart, named by its `<title>` and `<desc>` (`id`-t, `id`-d). A chart
    /// is one image to assistive technology, unless its parts are links: an image's content is
    /// not reachable, so a linked chart is a group whose links each keep their own name.
    package static func svgOpen(width: Double, height: Double, id: String, class name: String, linked: Bool) -> String {
        let role = linked ? "group" : "img"
        return #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="\#(role)" aria-labelledby="\#(id)-t \#(id)-d" class="\#(name)">"#
    }

    /// A coordinate with at most one decimal, so SVG stays small.
    package static func coordinate(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let rounded = (x * 10).rounded() / 10
        // Within ±2^53 a whole number prints as one; beyond (a hostile value) as a double, never a trap.
        return rounded == rounded.rounded() && abs(rounded) < 9e15 ? String(Int(rounded)) : String(rounded)
    }

    /// Round tick values from 0 to at least `maximum`: 1, 2 or 5 times a power of ten apart.
    package static func ticks(upTo maximum: Double, count: Int = 5) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0, 1] }
        let raw = maximum / Double(count)
        let exponent = Int(floor(log10(raw)))
        let multiplier = [1.0, 2, 5, 10].first { $0 * pow(10, Double(exponent)) >= raw } ?? 10
        // k × multiplier × 10^exponent, divided rather than multiplied for negative exponents so 0.6 stays 0.6.
        func tick(_ k: Int) -> Double {
            exponent >= 0 ? Double(k) * multiplier * pow(10, Double(exponent)) : Double(k) * multiplier / pow(10, Double(-exponent))
        }
        var ticks = [0.0]
        while ticks.last! < maximum { ticks.append(tick(ticks.count)) }
        return ticks
    }
}

/// The colours of the GPC sectors, the same on every chart.
package enum Palette {
    package static let sectors: [String: String] = ["I": "#2b6cb0", "II": "#dd6b20", "III": "#718096", "IV": "#805ad5", "V": "#38a169", "VI": "#a0aec0"]
    /// Sequential classes for maps, light to dark.
    package static let sequential = ["#fef3c7", "#fcd34d", "#f59e0b", "#d97706", "#92400e"]
}
