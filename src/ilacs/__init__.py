"""ilacs: the open, tested record of Ofsted's inspections of local authority children's services."""

__version__ = "0.1.0"
