import CarbonKit
import Foundation

/// Markup of a page or a part of one, written as a string literal in which escaping is the
/// default: text interpolated into it (`\(name)`, any `String`) is escaped, markup interpolated
/// into it (`\(table)`, an `HTML`) is kept as it is. A page is built from partials — functions
/// that return `HTML` — so text from the data can only reach a page escaped, and forgetting an
/// escape is not possible; the one way around it, `HTML(verbatim:)`, is for markup another
/// writer produced (a chart's SVG, a cached page).
///
///     let row: HTML = "<tr><th>\(action.title)</th><td>\(t.number(tonnes, decimals: 1))</td></tr>"
///
/// Numbers must be interpolated as formatted text (`t.number`), except integers, which have
/// one form in every language; a `Double` does not interpolate, so a page cannot show `1e+308`.
package struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup, ready to send.
    package private(set) var markup: String

    /// Markup written in the source: a literal is trusted, it is the template.
    package init(stringLiteral literal: String) { markup = literal }

    package init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.markup }

    /// Markup produced elsewhere and already safe (the SVG of a chart, a stored page).
    package init(verbatim markup: String) { self.markup = markup }

    /// Plain text, escaped.
    package init(text: String) {
        markup = ""
        Self.appendEscaped(text, to: &markup)
    }

    package static let empty: HTML = ""

    package var description: String { markup }
    package var isEmpty: Bool { markup.isEmpty }

    package static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(verbatim: lhs.markup + rhs.markup) }
    package static func += (lhs: inout HTML, rhs: HTML) { lhs.markup += rhs.markup }

    /// Whether the markup contains `text` (tests and the table partial look for tags).
    package func contains(_ text: String) -> Bool { markup.contains(text) }

    package struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        package init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + 24 * interpolationCount)
        }

        package mutating func appendLiteral(_ literal: String) { markup += literal }

        /// Text: escaped.
        package mutating func appendInterpolation(_ text: String) { HTML.appendEscaped(text, to: &markup) }
        package mutating func appendInterpolation(_ text: Substring) { HTML.appendEscaped(String(text), to: &markup) }

        /// Markup: kept.
        package mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
        /// Nothing for nil, so an optional part needs no `?? ""`.
        package mutating func appendInterpolation(_ html: HTML?) { markup += html?.markup ?? "" }

        /// Markup parts one after another.
        package mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { markup += part.markup } }

        /// An integer has one form in every language and needs no escaping.
        package mutating func appendInterpolation<Integer: BinaryInteger>(_ number: Integer) { markup += String(number) }

        /// A day in ISO form ("2026-12-06"): digits and hyphens only.
        package mutating func appendInterpolation(_ day: Day) { markup += day.description }

        /// A path segment of a link (a plan or action identifier), percent-encoded, so that it is
        /// safe in a URL and in the attribute alike.
        package mutating func appendInterpolation(segment: String) { markup += Markup.percentEncoded(segment) }

        /// A query value of a link, percent-encoded.
        package mutating func appendInterpolation(query value: String) {
            HTML.appendEscaped(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "", to: &markup)
        }
    }

    /// Appends `text` with `& < > " '` replaced by their references: safe in content and in a
    /// quoted attribute. Text without any of them (nearly all) is appended in one piece.
    package static func appendEscaped(_ text: String, to out: inout String) {
        var text = text
        let clean = text.withUTF8 { bytes -> Bool in
            var start = 0
            for index in bytes.indices {
                let reference: String
                switch bytes[index] {
                case UInt8(ascii: "&"): reference = "&amp;"
                case UInt8(ascii: "<"): reference = "&lt;"
                case UInt8(ascii: ">"): reference = "&gt;"
                case UInt8(ascii: "\""): reference = "&quot;"
                case UInt8(ascii: "'"): reference = "&#39;"
                default: continue
                }
                out += String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                out += reference
                start = index + 1
            }
            guard start > 0 else { return true }
            out += String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
            return false
        }
        if clean { out += text }
    }
}

extension Sequence {
    /// One partial per element, one after another: `actions.html { "<li>\($0.title)</li>" }`.
    package func html(separator: HTML = "", _ part: (Element) throws -> HTML) rethrows -> HTML {
        var out = ""
        var first = true
        for element in self {
            if !first { out += separator.markup }
            first = false
            out += try part(element).markup
        }
        return HTML(verbatim: out)
    }
}

extension Sequence where Element == HTML {
    package func joined(separator: HTML = "") -> HTML { html(separator: separator) { $0 } }
}

extension Localizer {
    /// The string for `key` as markup: its words escaped, each `{name}` filled with a part of
    /// markup (a link inside a sentence), so the sentence is translated whole.
    package func html(_ key: String, _ parts: [String: HTML]) -> HTML {
        var markup = HTML(text: self(key)).markup
        for (name, part) in parts { markup = markup.replacingOccurrences(of: "{\(name)}", with: part.markup) }
        return HTML(verbatim: markup)
    }
}
