from ninja import NinjaAPI

api = NinjaAPI(title="Ducha API", version="1", urls_namespace="api")
