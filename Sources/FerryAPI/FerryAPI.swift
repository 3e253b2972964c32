/// `FerryAPI` holds the Hummingbird JSON:API application.
///
/// The module is laid out now so that the dependency direction (CLI/API → jobs → runner →
/// stages → store) is fixed from the start; its content arrives with its issue.
public enum FerryAPI {}
