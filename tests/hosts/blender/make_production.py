"""Build a production-shaped project with bpy (its own process): ``make_production.py ROOT OUTSIDE``
(with a Blender executable: ``blender -b --python make_production.py -- ROOT OUTSIDE``).

ROOT/shots/sh010/sh010_lighting.blend, the shot: frames 1001-1100; cameras switched by timeline
markers: CamMain at 1001, CamAlt at 1050, CamUnused at 1200 (after the range); view layers
Beauty, FG and Utility (not rendered); Cycles. What it uses:
- Hero, linked from assets/chars/hero.blend, whose material uses //textures/hero_diff.png
  (relative to hero.blend) and the image Crate linked by hero.blend from assets/props/crate.blend
  (//tex/crate.png relative to crate.blend): a library inside a library;
- Decal, a packed image (its file deleted afterwards: nothing to upload, nothing missing);
- Skin, a UDIM set textures/skin.<UDIM>.png declaring tiles 1001, 1002 and 1011; 1011 is not on disk;
- Plate, an image sequence plates/bg.1001-1003.png;
- Alembic caches/anim.abc (exported and imported here) and USD caches/crowd.usda (a cache file);
- an OpenVDB sequence vdb/smoke.1001-1003.vdb;
- fonts/title.woff2, a copy of one of Blender's fonts, on a text object;
- OUTSIDE/hdri/studio.png by absolute path, outside the project folder.
Relative paths are written relative to the file that holds them, as Blender does.
"""
import os
import shutil
import sys

import bpy


def png(path, size=4):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    image = bpy.data.images.new(os.path.basename(path), size, size)
    image.filepath_raw = path
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)


def material(name, *images):
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    for image in images:
        node = mat.node_tree.nodes.new("ShaderNodeTexImage")
        node.image = image
    return mat


def holder(scene, name, *images):
    """A mesh object whose material uses ``images`` (so they are saved and listed)."""
    mesh = bpy.data.meshes.new(name)
    mesh.materials.append(material("M_" + name, *images))
    obj = bpy.data.objects.new(name, mesh)
    scene.collection.objects.link(obj)
    return obj


def fresh(path):
    bpy.ops.wm.read_factory_settings(use_empty=True)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=path)  # saved first: "//" paths are relative to it


def build_crate(root):
    path = os.path.join(root, "assets", "props", "crate.blend")
    png(os.path.join(root, "assets", "props", "tex", "crate.png"))
    fresh(path)
    image = bpy.data.images.load("//tex/crate.png")
    image.name = "Crate"
    image.use_fake_user = True
    bpy.ops.wm.save_mainfile()
    return path


def build_hero(root, crate):
    path = os.path.join(root, "assets", "chars", "hero.blend")
    png(os.path.join(root, "assets", "chars", "textures", "hero_diff.png"))
    fresh(path)
    with bpy.data.libraries.load(crate, link=True, relative=True) as (source, target):
        target.images = ["Crate"]
    diffuse = bpy.data.images.load("//textures/hero_diff.png")
    holder(bpy.context.scene, "Hero", diffuse, target.images[0])
    bpy.ops.wm.save_mainfile()
    return path


def cache_file(path, name):
    """A CacheFile datablock for ``path`` (Object > Mesh Sequence Cache > Open: ``cachefile.open``;
    bpy.data.cache_files has no constructor), kept with a fake user."""
    bpy.ops.cachefile.open(filepath=path)
    cache = bpy.data.cache_files[-1]
    cache.name = name
    cache.use_fake_user = True
    return cache


def alembic_file(scene, path):
    """caches/anim.abc: a real export where Blender has Alembic (Debian's 3.4 is built without it)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if "alembic_export" in dir(bpy.ops.wm):
        cube = holder(scene, "AbcSource")
        cube.data.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
        bpy.ops.wm.alembic_export(filepath=path, start=1001, end=1001)
        bpy.data.objects.remove(cube)
    else:
        with open(path, "wb") as handle:
            handle.write(b"Ogawa placeholder")


def build_shot(root, outside, hero):
    shot = os.path.join(root, "shots", "sh010", "sh010_lighting.blend")
    fresh(shot)
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = 1001, 1100
    scene.render.engine = "CYCLES"
    scene.view_layers[0].name = "Beauty"
    scene.view_layers.new("FG")
    scene.view_layers.new("Utility").use = False
    cameras = {}
    for name in ("CamMain", "CamAlt", "CamUnused"):
        cameras[name] = bpy.data.objects.new(name, bpy.data.cameras.new(name))
        scene.collection.objects.link(cameras[name])
    scene.camera = cameras["CamMain"]
    scene.timeline_markers.new("main", frame=1001).camera = cameras["CamMain"]
    scene.timeline_markers.new("alt", frame=1050).camera = cameras["CamAlt"]
    scene.timeline_markers.new("next_shot", frame=1200).camera = cameras["CamUnused"]  # after the range

    with bpy.data.libraries.load(hero, link=True, relative=True) as (source, target):
        target.objects = ["Hero"]
    scene.collection.objects.link(target.objects[0])

    decal_file = os.path.join(root, "textures", "decal.png")
    png(decal_file)
    decal = bpy.data.images.load(decal_file)
    decal.name = "Decal"
    decal.pack()

    for tile in (1001, 1002):
        png(os.path.join(root, "textures", "skin.%d.png" % tile))
    skin = bpy.data.images.load("//../../textures/skin.1001.png")
    skin.name = "Skin"
    skin.source = "TILED"
    skin.filepath = "//../../textures/skin.<UDIM>.png"
    have = {tile.number for tile in skin.tiles}
    for number in (1002, 1011):
        if number not in have:
            skin.tiles.new(tile_number=number)

    for frame in (1001, 1002, 1003):
        png(os.path.join(root, "plates", "bg.%d.png" % frame))
    plate = bpy.data.images.load("//../../plates/bg.1001.png")
    plate.name = "Plate"
    plate.source = "SEQUENCE"

    png(os.path.join(outside, "hdri", "studio.png"))
    studio = bpy.data.images.load(os.path.join(outside, "hdri", "studio.png"))
    studio.name = "Studio"
    holder(scene, "Set", decal, skin, plate, studio)

    alembic_file(scene, os.path.join(root, "caches", "anim.abc"))
    cache_file("//../../caches/anim.abc", "AnimCache")
    with open(os.path.join(root, "caches", "crowd.usda"), "w") as handle:
        handle.write("#usda 1.0\n")
    cache_file("//../../caches/crowd.usda", "CrowdCache")

    for frame in (1001, 1002, 1003):
        os.makedirs(os.path.join(root, "vdb"), exist_ok=True)
        with open(os.path.join(root, "vdb", "smoke.%d.vdb" % frame), "wb") as handle:
            handle.write(b"placeholder")
    volume = bpy.data.volumes.new("Smoke")
    volume.filepath = "//../../vdb/smoke.1001.vdb"
    volume.is_sequence = True
    volume.frame_start = 1001
    volume.frame_duration = 3
    scene.collection.objects.link(bpy.data.objects.new("SmokeObj", volume))

    fonts = bpy.utils.system_resource("DATAFILES", path="fonts")
    source = os.path.join(fonts, sorted(n for n in os.listdir(fonts) if n.startswith("DejaVuSans"))[0])
    os.makedirs(os.path.join(root, "fonts"), exist_ok=True)
    shutil.copy(source, os.path.join(root, "fonts", "title.woff2"))
    text = bpy.data.curves.new("Title", "FONT")
    text.font = bpy.data.fonts.load("//../../fonts/title.woff2")
    scene.collection.objects.link(bpy.data.objects.new("Title", text))

    bpy.ops.wm.save_mainfile()
    os.remove(decal_file)  # packed: the .blend carries it
    return shot


if __name__ == "__main__":
    args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]
    root, outside = (os.path.abspath(a) for a in args)
    build_shot(root, outside, build_hero(root, build_crate(root)))
