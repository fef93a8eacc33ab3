"""Packaging that pyproject.toml cannot say by itself (everything else is there).

The repository keeps the shipped files in the top-level resources/ folder; they are installed as the
package nnviz.resources (wheel: nnviz/resources/; editable install: mapped back to resources/), so
that nnviz.core.shipped finds them with importlib.resources wherever nnviz is installed. A
`packages.find` table in pyproject.toml cannot add a package from another folder, hence this file.
"""

from setuptools import find_namespace_packages, setup

CODE = find_namespace_packages(include=["nnviz", "nnviz.*"], exclude=["*.__pycache__"])
RESOURCES = ["nnviz.resources"] + [f"nnviz.resources.{p}" for p in find_namespace_packages("resources")]

setup(packages=CODE + RESOURCES, package_dir={"nnviz.resources": "resources"})
