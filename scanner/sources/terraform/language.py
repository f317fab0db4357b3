"""The HCL grammar (tree-sitter-hcl) that the parser (``hcl``) and the syntax converter (``convert``) share."""

from __future__ import annotations

import tree_sitter_hcl
from tree_sitter import Language

LANGUAGE = Language(tree_sitter_hcl.language())
