"""rv_dcc.scene: what a host adapter reports about the open scene, and the files it needs.

``model`` (SceneDescription, pydantic, frozen) and ``adapter`` (the HostAdapter protocol);
``frames`` (frame specs), ``paths`` (server paths, unmappable paths), ``tokens`` / ``expand`` /
``assets`` (token expansion and the asset scan), ``hashcache`` (persistent md5 cache), ``io``
(description files). Nothing is imported here: pydantic loads only with ``model``.
"""
