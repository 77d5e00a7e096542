"""sheaf.Frame methods for row cleaning and column expressions (sheaf_clean.h). Mixed into
sheaf.Frame; every method returns a new Frame and leaves this one unchanged."""


class CleanMethods:
    pass
