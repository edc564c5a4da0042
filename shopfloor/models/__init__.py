from shopfloor.models.embroidery import EmbroideryDesign, EmbroideryJob, EmbroideryStep
from shopfloor.models.scans import ScanEvent

__all__ = ["EmbroideryDesign", "EmbroideryJob", "EmbroideryStep", "ScanEvent"]
