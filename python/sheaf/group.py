"""sheaf.Frame methods for group-by, joins and duplicates (sheaf_group.h). Mixed into
sheaf.Frame; every method returns a new Frame and leaves this one unchanged."""


class GroupMethods:
    pass
