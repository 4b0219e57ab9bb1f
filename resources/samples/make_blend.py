"""Generate the Blender sample: resources/samples/blender/shot.blend and its texture.

A cube with a checker image texture, a camera and a sun light; frames 1-10 (the cube turns),
320x180, Cycles on the CPU with few samples so the embedded farm renders it in seconds. The
texture is saved beside the .blend and referenced relatively (//textures/checker.png), so the
sample works from any checkout. Run with a Python that has bpy:

    /work/main/.venv/bin/python resources/samples/make_blend.py

The output is committed; re-run only to change the sample (and update blender.json to match).
"""
import math
import os
import sys

import bpy

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.join(HERE, "blender")
BLEND = os.path.join(FOLDER, "shot.blend")
TEXTURE = os.path.join(FOLDER, "textures", "checker.png")


def _checker_texture() -> "bpy.types.Image":
    size = 16
    image = bpy.data.images.new("checker", width=size, height=size, alpha=False)
    pixels = []
    for y in range(size):
        for x in range(size):
            on = (x // 4 + y // 4) % 2 == 0
            pixels.extend((0.9, 0.45, 0.1, 1.0) if on else (0.1, 0.1, 0.12, 1.0))
    image.pixels.foreach_set(pixels)
    os.makedirs(os.path.dirname(TEXTURE), exist_ok=True)
    image.filepath_raw = TEXTURE
    image.file_format = "PNG"
    image.save()
    return image


def build() -> None:
    """Build the scene from an empty file and save it."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.context.preferences.filepaths.save_version = 0  # no shot.blend1 backup beside the sample
    scene = bpy.context.scene
    scene.name = "Scene"
    scene.view_layers[0].name = "ViewLayer"

    bpy.ops.mesh.primitive_cube_add(size=2.0, location=(0, 0, 0))
    cube = bpy.context.active_object
    cube.name = "Cube"
    material = bpy.data.materials.new("Checker")
    material.use_nodes = True
    nodes = material.node_tree.nodes
    texture_node = nodes.new("ShaderNodeTexImage")
    texture_node.image = _checker_texture()
    texture_node.interpolation = "Closest"  # crisp checks from a 16 px image
    principled = nodes.get("Principled BSDF")
    material.node_tree.links.new(texture_node.outputs["Color"], principled.inputs["Base Color"])
    cube.data.materials.append(material)
    cube.rotation_euler = (0, 0, 0)
    cube.keyframe_insert("rotation_euler", frame=1)
    cube.rotation_euler = (0, 0, math.radians(90))
    cube.keyframe_insert("rotation_euler", frame=10)

    camera_data = bpy.data.cameras.new("Camera")
    camera = bpy.data.objects.new("Camera", camera_data)
    scene.collection.objects.link(camera)
    camera.location = (6.0, -6.0, 4.5)
    camera.rotation_euler = (math.radians(63), 0, math.radians(45))
    scene.camera = camera

    light_data = bpy.data.lights.new("Sun", type="SUN")
    light_data.energy = 4.0
    light = bpy.data.objects.new("Sun", light_data)
    scene.collection.objects.link(light)
    light.rotation_euler = (math.radians(40), math.radians(10), math.radians(30))

    world = bpy.data.worlds.new("World")
    world.color = (0.05, 0.06, 0.08)
    scene.world = world

    scene.frame_start, scene.frame_end, scene.frame_step = 1, 10, 1
    scene.render.resolution_x, scene.render.resolution_y = 320, 180
    scene.render.resolution_percentage = 100
    scene.render.fps = 24
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = 8
    scene.render.filepath = "//render/frame_####"
    scene.render.image_settings.file_format = "PNG"

    os.makedirs(FOLDER, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=BLEND, compress=True, relative_remap=True)
    bpy.ops.file.make_paths_relative()
    bpy.ops.wm.save_mainfile(compress=True)


if __name__ == "__main__":
    build()
    print("wrote", BLEND, os.path.getsize(BLEND), "bytes", file=sys.stderr)
