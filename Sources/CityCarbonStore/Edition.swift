/// Which version of the city's data a reader sees. Everything an editor loads is a draft until
/// someone allowed to publish approves it; the public reads only what was approved.
public enum Edition: Sendable {
    /// The data as editors left them: drafts included. Staff pages and the CLI.
    case current
    /// What was approved: each published inventory year's pinned rows
    /// (``PublicationRepository/publish(year:by:key:)``), the published statistics
    /// (``StatisticsRepository/publish(by:)``) and indicator values
    /// (``IndicatorRepository/publish(by:)``). Every public route, export and metric reads this.
    case published
}
