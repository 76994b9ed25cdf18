package io.minify.engine;

/**
 * What the engine says of one container ({@code docker inspect CONTAINER}): enough to join it.
 *
 * @param id         its full id
 * @param name       its name, without the engine's leading slash
 * @param image      the image reference it was created from, as given then (a tag may have moved since)
 * @param imageId    the id of the image it was created from
 * @param running    whether its first process runs
 * @param namespaces the PID, network and IPC modes it was created with, as the engine names them
 *                   ("private", "shareable", "host", "container:ID", a network's name, ...)
 */
public record ContainerInfo(String id, String name, String image, String imageId, boolean running,
    NamespaceModes namespaces) {}
