def membership(request):
    return {"member": getattr(request, "member", None)}
