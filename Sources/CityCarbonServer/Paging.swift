import CityCarbonPages
import CarbonKit
import Hummingbird

/// `?page=&per_page=` of a list endpoint: page from 1, at most 500 items a page.
struct Paging {
    static let maximum = 500
    let page: Int
    let perPage: Int

    init(_ request: Request, defaultPerPage: Int = 50) throws {
        let query = request.uri.queryParameters
        var issues: [InputIssue] = []
        func number(_ name: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let text = query.get(name) else { return value }
            guard let n = Int(text), range.contains(n) else {
                issues.append(InputIssue(InputLocation(field: name), value: text, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
                return value
            }
            return n
        }
        page = number("page", default: 1, range: 1...1_000_000)
        perPage = number("per_page", default: defaultPerPage, range: 1...Paging.maximum)
        if !issues.isEmpty { throw InputErrors(issues) }
    }

    init(page: Int, perPage: Int) {
        self.page = page
        self.perPage = perPage
    }

    var offset: Int { (page - 1) * perPage }

    /// A page of `items` out of `total`, in the envelope every list endpoint uses.
    func envelope(_ items: [JSONValue], total: Int) -> JSONValue {
        .object([("items", .array(items)), ("page", .integer(page)), ("per_page", .integer(perPage)), ("total", .integer(total))])
    }

    func slice<T>(_ all: [T]) -> ArraySlice<T> {
        let start = min(offset, all.count)
        return all[start..<min(start + perPage, all.count)]
    }
}
