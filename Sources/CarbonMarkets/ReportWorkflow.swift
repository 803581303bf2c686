import CarbonKit
import Foundation

/// Where an enterprise's report of a year stands, and who may move it on. The enterprise
/// submits a version; the assigned verifier takes it up and verifies it, with findings and
/// adjustments on its lines; the regulator accepts it, or asks for a correction (sections and
/// comments), after which the enterprise submits a corrected version. Every version is kept.
public enum ReportStatus: String, Sendable, Codable, CaseIterable {
    /// Not submitted yet, or being corrected.
    case draft
    case submitted
    case underVerification = "under_verification"
    case verified
    case accepted
    case correctionRequested = "correction_requested"
}

public enum ReportAction: String, Sendable, Codable, CaseIterable {
    case submit
    case startVerification = "start_verification"
    case verify
    case accept
    case requestCorrection = "request_correction"
}

/// Who acts on a report: the enterprise itself, the verifier assigned to it, or the regulator
/// (the ecology and environment bureau).
public enum ReportParty: String, Sendable, Codable {
    case enterprise, verifier, regulator
}

public enum ReportWorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAllowed(action: ReportAction, status: ReportStatus, party: ReportParty)
    case blockedByChecks(errors: Int)
    case correctionNeedsSections

    public var description: String {
        switch self {
        case let .notAllowed(action, status, party):
            "the \(party.rawValue) cannot \(action.rawValue.replacingOccurrences(of: "_", with: " ")) a report that is \(status.rawValue.replacingOccurrences(of: "_", with: " "))"
        case let .blockedByChecks(errors): "the automated checks found \(errors) error(s): correct them before submitting"
        case .correctionNeedsSections: "a correction request names at least one section and says what to correct"
        }
    }
}

public enum ReportWorkflow {
    /// The status after `party` does `action` on a report in `status`, or why it may not.
    public static func next(_ status: ReportStatus, _ action: ReportAction, by party: ReportParty) throws(ReportWorkflowError) -> ReportStatus {
        switch (action, party, status) {
        case (.submit, .enterprise, .draft), (.submit, .enterprise, .correctionRequested): return .submitted
        case (.startVerification, .verifier, .submitted): return .underVerification
        case (.verify, .verifier, .underVerification): return .verified
        case (.accept, .regulator, .verified): return .accepted
        case (.requestCorrection, .regulator, .submitted), (.requestCorrection, .regulator, .underVerification),
             (.requestCorrection, .regulator, .verified), (.requestCorrection, .verifier, .underVerification):
            return .correctionRequested
        default: throw .notAllowed(action: action, status: status, party: party)
        }
    }
}

/// A verifier's finding on one line of a version: what it found and, when the figure is wrong,
/// the tonnes it verifies instead.
public struct VerificationFinding: Sendable, Equatable, Codable {
    public var line: String
    public var comment: String
    public var adjustedTonnes: Double?

    public init(line: String, comment: String, adjustedTonnes: Double? = nil) {
        (self.line, self.comment, self.adjustedTonnes) = (line, comment, adjustedTonnes)
    }

    /// The verified emissions of a report: each line's tonnes, or the finding's adjusted figure.
    public static func verifiedTonnes(_ report: AnnualReport, findings: [VerificationFinding]) -> (direct: Double, total: Double) {
        let adjusted = Dictionary(findings.compactMap { finding in finding.adjustedTonnes.map { (finding.line, $0) } },
                                  uniquingKeysWith: { _, last in last })
        var direct = 0.0, total = 0.0
        for line in report.lines {
            let tonnes = adjusted[line.key] ?? line.tonnes
            total += tonnes
            if line.isDirect { direct += tonnes }
        }
        return (direct, total)
    }
}

/// A regulator's request for a correction: which sections (lines, months, the operation data)
/// and what is wrong with each.
public struct CorrectionRequest: Sendable, Equatable, Codable {
    public var sections: [String]
    public var comment: String

    public init(sections: [String], comment: String) throws(ReportWorkflowError) {
        let sections = sections.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !sections.isEmpty, !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .correctionNeedsSections }
        (self.sections, self.comment) = (sections, comment)
    }
}
