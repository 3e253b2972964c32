import FerryCore
import FerryStore
import Hummingbird
import JWTKit
import NIOCore

extension APIError {
    /// The API error for any error a route throws: the one place errors become JSON:API errors.
    public init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as JWTError:
            self = .invalidToken("the token is not valid: \(error.reason ?? error.errorType.description)")
        case let error as JSONParseError:
            self = .badRequest("the body is not valid JSON: \(error)")
        case let error as MultipartError:
            self = .badRequest(String(describing: error))
        case let error as DatasetError:
            self = .badRequest(String(describing: error))
        case let error as HTTPError:
            switch error.status {
            case .notFound: self = .routeNotFound(error.body ?? "this path")
            case .contentTooLarge:
                self = APIError(status: .contentTooLarge, code: "CONTENT_TOO_LARGE", title: "Content too large",
                                detail: "the body is too large; upload big inputs as multipart/form-data")
            case let status where status.code >= 500:
                self = .internalError
            default:
                self = APIError(status: error.status, code: error.status.reasonPhrase.uppercased().replacingOccurrences(of: " ", with: "_"),
                                title: error.status.reasonPhrase, detail: error.status.reasonPhrase)
            }
        case is NIOTooManyBytesError:
            self = APIError(status: .contentTooLarge, code: "CONTENT_TOO_LARGE", title: "Content too large",
                            detail: "the body is too large; upload big inputs as multipart/form-data")
        default:
            self = .internalError
        }
    }
}
