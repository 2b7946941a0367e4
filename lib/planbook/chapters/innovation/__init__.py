"""Chapter 9 (innovation and sustainable development): green, social and cross-border figures.

Plan chapter 9 is the least complete of the plan: 9.1 has a heading and no text, 9.4
stops mid-sentence (``data/plan/sections.csv`` records both). What remains are targets
without deadlines (a packaging cut), one dated target (carbon-neutral logistics), case
studies and benchmarks.

- :mod:`~planbook.chapters.innovation.source`: the sections' state and the chapter's
  figures elsewhere in the plan;
- :mod:`~planbook.chapters.innovation.green`: dates for the targets (a start year, an
  as-of year and, where the plan gives none, an assumed deadline) and the green cuts as
  paths to their deadlines;
- :mod:`~planbook.chapters.innovation.commerce`: the arithmetic of the social-commerce
  figures;
- :mod:`~planbook.chapters.innovation.result`: the page's numbers and tables by name
  (:func:`compute`) and the chapter's key numbers (:func:`headline`).
"""

from planbook.chapters.innovation.commerce import (
    content_conversion,
    content_traffic_share,
    max_content_share,
    multiple_readings,
)
from planbook.chapters.innovation.green import (
    FULL_CUT_PCT,
    GREEN_CUTS,
    NEUTRALITY,
    deadline_year,
    deadlines,
    green_path_frame,
    green_paths,
    status,
    unstated_years,
)
from planbook.chapters.innovation.result import InnovationResult, compute, headline
from planbook.chapters.innovation.source import (
    CHAPTER,
    incomplete,
    related_figures,
    same_metric_elsewhere,
    section_states,
    sections_in_state,
)

__all__ = [
    "CHAPTER",
    "FULL_CUT_PCT",
    "GREEN_CUTS",
    "NEUTRALITY",
    "InnovationResult",
    "compute",
    "content_conversion",
    "content_traffic_share",
    "deadline_year",
    "deadlines",
    "green_path_frame",
    "green_paths",
    "headline",
    "incomplete",
    "max_content_share",
    "multiple_readings",
    "related_figures",
    "same_metric_elsewhere",
    "section_states",
    "sections_in_state",
    "status",
    "unstated_years",
]
