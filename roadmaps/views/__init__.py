from roadmaps.views.overview import roadmap_list, roadmap_request
from roadmaps.views.roadmaps import (
    roadmap_action,
    roadmap_detail,
    roadmap_edit,
    roadmap_file,
    roadmap_file_remove,
    roadmap_files,
    roadmap_new,
    roadmap_progress,
    roadmap_start,
    roadmap_template,
    roadmap_upload,
    roadmap_version,
)

__all__ = [
    "roadmap_action",
    "roadmap_detail",
    "roadmap_edit",
    "roadmap_file",
    "roadmap_file_remove",
    "roadmap_files",
    "roadmap_list",
    "roadmap_new",
    "roadmap_progress",
    "roadmap_request",
    "roadmap_start",
    "roadmap_template",
    "roadmap_upload",
    "roadmap_version",
]
