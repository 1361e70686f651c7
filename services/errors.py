"""Service errors with stable codes; mini/errors.py alone turns them into HTTP."""


class ServiceError(Exception):
    code = "service_error"

    keep_changes = False  # when True, the use case commits what it did before refusing

    def __init__(self, code=None, message=None, details=None, keep_changes=False):
        super().__init__(message or code or self.code)
        self.keep_changes = keep_changes
        if code:
            self.code = code
        self.message = message or self.code.replace("_", " ")
        self.details = details or {}


class InvalidRequest(ServiceError):
    code = "invalid_request"


class Unauthenticated(ServiceError):
    code = "unauthenticated"


class Forbidden(ServiceError):
    code = "forbidden"


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    code = "conflict"


class Refused(ServiceError):
    """A business rule says no (422)."""

    code = "refused"


class PreconditionFailed(ServiceError):
    code = "precondition_failed"


class PreconditionRequired(ServiceError):
    code = "precondition_required"


class TooManyRequests(ServiceError):
    code = "rate_limited"

    def __init__(self, code=None, message=None, details=None, retry_after=1):
        super().__init__(code, message, details)
        self.retry_after = retry_after  # seconds; a header, not part of the error body


class Unavailable(ServiceError):
    code = "service_unavailable"
