/// What a signed-in person or an integration client may do. The server checks every route
/// against ``Role/permissions``; the CLI uses the same names when it creates accounts.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// The climate office: manages accounts and keys, approves publication, reads the audit trail.
    case admin
    /// A department or district: loads the activity data of its own jurisdictions and drafts
    /// updates to its own organisation's plan actions.
    case editor
    /// An enterprise: files its own facilities' reports (the MRV pages), sees drafts of nothing else.
    case reporter
    /// Verifies reports and reads the audit trail and drafts it needs for that.
    case verifier
    /// Reads drafts before they are published.
    case viewer
    /// A meter head-end, gateway or building system: sends readings for its organisation's sites
    /// (or only the sites written on its key), and reads their alerts.
    case integration

    public var permissions: Set<Permission> {
        switch self {
        case .admin: Set(Permission.allCases)
        case .editor: [.signIn, .readDrafts, .importActivities, .computeInventories, .editPlans, .acknowledgeAlerts, .checkEvidence,
                        .reviewInclusion]
        case .reporter: [.signIn, .acknowledgeAlerts, .representAccounts, .handleReports, .depositEvidence]
        case .verifier: [.signIn, .readDrafts, .readAudit, .handleReports]
        case .viewer: [.signIn, .readDrafts]
        case .integration: [.ingestReadings]
        }
    }

    /// Whether this role's accounts are limited to the jurisdictions written on them.
    public var isScoped: Bool { self == .editor || self == .reporter || self == .integration }
}

/// One thing a route may require.
public enum Permission: String, Sendable, CaseIterable {
    /// See the staff pages at all.
    case signIn = "sign_in"
    /// See unpublished inventories and the activity data behind them.
    case readDrafts = "read_drafts"
    /// Import activity CSVs (within the account's jurisdictions when it is scoped).
    case importActivities = "import_activities"
    /// Recompute the inventory of a year from the stored rows, with the year's GWP set (a scoped
    /// account: only a year that holds rows of its jurisdictions).
    case computeInventories = "compute_inventories"
    /// Choose a year's method: compute it under another GWP set than the one it has.
    case chooseMethod = "choose_method"
    /// Publish or withdraw an inventory year.
    case publish
    /// Create, change and disable accounts and API keys.
    case manageAccounts = "manage_accounts"
    /// Read and filter the audit trail.
    case readAudit = "read_audit"
    /// Draft changes to plan actions (an editor: those of its own organisation) and submit them for review.
    case editPlans = "edit_plans"
    /// Approve or return drafts of plan actions; run and publish targets, assessments, pilots and reports.
    case managePlans = "manage_plans"
    /// Send meter and sensor readings (an integration key: for its own organisation's sites).
    case ingestReadings = "ingest_readings"
    /// Mark monitoring alerts seen (a scoped account: only its own organisation's sites' alerts).
    case acknowledgeAlerts = "acknowledge_alerts"
    /// Change the city's settings (GWP set, factor sets, clock, headline level …).
    case manageSettings = "manage_settings"
    /// Load the city's statistics (population, GDP, energy use …) and its boundaries.
    case importStatistics = "import_statistics"
    /// Propose, approve and decline transfers of the registry accounts one represents (by sign-in name).
    case representAccounts = "represent_accounts"
    /// Open registry accounts and issue units; regulate key emitters' reports (assign verifiers,
    /// request corrections, accept).
    case manageRegistry = "manage_registry"
    /// Work on key emitters' emission reports: an enterprise files its own, a verifier those
    /// assigned to it, the regulator all of them (each report says who is which).
    case handleReports = "handle_reports"
    /// Deposit months of evidence in bulk: an enterprise for itself, the regulator for any.
    case depositEvidence = "deposit_evidence"
    /// Check key emitters' months of evidence for the districts one works for (the district's
    /// review, due by day 25); the office closes them for the city (by day 40).
    case checkEvidence = "check_evidence"
    /// Run carbon inclusion: register partners, keep the redemption catalogue, build lots and issue them.
    case manageInclusion = "manage_inclusion"
    /// Review residents' credits held by the fraud screen: release or reject them.
    case reviewInclusion = "review_inclusion"
}
