"""Every URL pattern the project serves, from the resolver, with arguments filled for the admin's."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import get_resolver, reverse


def walk(patterns=None, prefix="", namespace=""):
    """Every URL pattern as (qualified name or None, route text, pattern), recursively."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, inner)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else None), route, pattern


ADMIN = "admin:"


def own_urls():
    return [
        (name, route)
        for name, route, _ in walk()
        if not (name or "").startswith(ADMIN) and not route.startswith("admin/")
    ]


def admin_urls():
    return [(name, route, pattern) for name, route, pattern in walk() if route.startswith("admin/")]


def first_pk(model):
    obj = model.objects.order_by("pk").first() if model else None
    return str(obj.pk) if obj else "0"


def admin_model(name=None, route=None):
    """The model behind admin:<app>_<model>_<action> or admin/<app>/<model>/..., or None."""
    for model in apps.get_models():
        meta = model._meta
        if name and name.startswith(f"{ADMIN}{meta.app_label}_{meta.model_name}_"):
            return model
        if route and route.startswith(f"admin/{meta.app_label}/{meta.model_name}/"):
            return model
    return None


def admin_url(name, route, pattern):
    """A URL for an admin pattern, its arguments filled with real objects where one exists."""
    if name is None:
        # Unnamed: each model's old-style <object_id>/ redirect, and the final catch-all.
        if route.endswith("<path:object_id>/"):
            return "/" + route.replace("<path:object_id>", first_pk(admin_model(route=route)))
        if route.endswith("(?P<url>.*)$"):
            return "/admin/no/such/page/"
        raise AssertionError(f"an unnamed admin URL this test cannot fill: {route}")
    if name.endswith("_simple_history"):
        # django-simple-history's page of one past version: two unnamed groups, the object
        # and the version.
        model = admin_model(name=name)
        pk = first_pk(model)
        version = model.history.filter(id=pk).order_by("history_id").first()
        return reverse(name, args=[pk, version.history_id if version else 0])
    keys = pattern.pattern.regex.groupindex.keys()
    kwargs = {}
    if "app_label" in keys:
        kwargs["app_label"] = "annotate"
    for key in {"object_id", "id"} & keys:  # "id": the user admin's password page
        kwargs[key] = first_pk(admin_model(name=name))
    if "content_type_id" in keys:
        document = apps.get_model("corpus", "Document")
        kwargs["content_type_id"] = ContentType.objects.get_for_model(document).pk
        kwargs["object_id"] = first_pk(document)
    unknown = keys - kwargs.keys()
    # An argument we do not know how to fill: fail loudly rather than skip the URL.
    assert not unknown, f"the admin URL {name} has arguments this test cannot fill: {unknown}"
    return reverse(name, kwargs=kwargs)
