import CityCarbonPages
import Foundation
import Hummingbird
import NIOCore

/// The fields of a submitted form, URL-encoded or multipart, with any uploaded files.
struct FormData: Sendable {
    struct File: Sendable {
        var filename: String
        var bytes: [UInt8]
    }

    var fields: [String: [String]] = [:]
    var files: [String: File] = [:]

    subscript(_ name: String) -> String? { fields[name]?.first }
    func all(_ name: String) -> [String] { fields[name] ?? [] }

    /// Reads the body, refusing one over `limit` bytes with 413, and parses it by its content type.
    static func read(_ request: Request, limit: Int) async throws -> FormData {
        let buffer = try await body(of: request, limit: limit)
        let bytes = [UInt8](buffer.readableBytesView)
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = parameter("boundary", of: contentType) else {
                throw ProblemDetails(.badRequest, "a multipart body needs a boundary in its Content-Type")
            }
            // RFC 2046 §5.1.1: 1 to 70 characters from a small set.
            guard (1...70).contains(boundary.utf8.count), boundary.utf8.allSatisfy(boundaryCharacters.contains) else {
                throw ProblemDetails(.badRequest, "a multipart boundary is 1 to 70 letters, digits or '()+_,-./:=? (RFC 2046)")
            }
            return try multipart(bytes, boundary: boundary)
        }
        return urlEncoded(String(decoding: bytes, as: UTF8.self))
    }

    /// The whole body, or 413 as soon as it passes `limit`, without reading the rest.
    static func body(of request: Request, limit: Int) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ProblemDetails(.contentTooLarge, "the request body is larger than \(limit >= 1_048_576 ? "\(limit / 1_048_576) MiB" : "\(limit / 1024) KiB")")
        }
    }

    static func urlEncoded(_ text: String) -> FormData {
        var form = FormData()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            form.fields[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return form
    }

    /// RFC 7578: parts separated by `--boundary`, each with its own headers.
    static func multipart(_ body: [UInt8], boundary: String) throws -> FormData {
        let delimiter = Array("--\(boundary)".utf8)
        var form = FormData()
        var starts: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { throw ProblemDetails(.badRequest, "the multipart body has no parts") }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var partStart = start + delimiter.count
            if partStart + 1 < body.count, body[partStart] == 13, body[partStart + 1] == 10 { partStart += 2 }
            var partEnd = end
            if partEnd >= 2, body[partEnd - 2] == 13, body[partEnd - 1] == 10 { partEnd -= 2 }
            guard partStart <= partEnd, let headerEnd = find([13, 10, 13, 10], in: body, from: partStart, before: partEnd) else {
                throw ProblemDetails(.badRequest, "a part of the multipart body has no headers")
            }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            let content = Array(body[(headerEnd + 4)..<partEnd])
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = parameter("name", of: String(disposition)) else {
                throw ProblemDetails(.badRequest, "a part of the multipart body has no name")
            }
            if let filename = parameter("filename", of: String(disposition)) {
                form.files[name] = File(filename: filename, bytes: content)
            } else {
                form.fields[name, default: []].append(String(decoding: content, as: UTF8.self))
            }
        }
        return form
    }

    /// `name=value` or `name="value"` from a header value's parameters.
    static func parameter(_ name: String, of header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let parts = piece.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    static let boundaryCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=? ".utf8)

    /// The first index at or after `start`, and before `end`, where `needle` begins, by
    /// Knuth–Morris–Pratt: linear in the haystack whatever the needle and the body, so a
    /// crafted body near the boundary costs no more than any other.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, before end: Int? = nil) -> Int? {
        let end = min(end ?? haystack.count, haystack.count)
        let m = needle.count
        guard m > 0, start >= 0, start < end, m <= end - start else { return nil }
        var failure = [Int](repeating: 0, count: m)
        var k = 0
        for i in 1..<max(m, 1) {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var q = 0
                for i in start..<end {
                    while q > 0 && hay[i] != pin[q] { q = failure[q - 1] }
                    if hay[i] == pin[q] { q += 1 }
                    if q == m { return i - m + 1 }
                }
                return nil
            }
        }
    }
}
