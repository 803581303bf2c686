import Foundation

/// Small helpers for writing SVG and HTML: path segments, a chart's opening tag, compact coordinates.
package enum Markup {
    /// A path segment (a plan or action identifier) percent-encoded so that it is safe in a URL,
    /// a `Location` header and an HTML attribute alike.
    package static func percentEncoded(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#&'\"<>;=+"))) ?? ""
    }

    /// The opening tag of a chart, named by its `<title>` and `<desc>` (`id`-t, `id`-d). A chart
    /// is one image to assistive technology, unless its parts are links: an image's content is
    /// not reachable, so a linked chart is a group whose links each keep their own name.
    package static func svgOpen(width: Double, height: Double, id: String, class name: String, linked: Bool) -> HTML {
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
}
