#ifndef mollifem_base_registry_h
#define mollifem_base_registry_h

#include <deal.II/base/exceptions.h>
#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * The plugins of one kind (models, kernels, coefficient representations,
   * regularizations), registered by name. Each entry declares its own
   * parameters and builds an object from parsed parameters, so that the
   * parameter file can select a plugin by name and `--print-parameters`
   * documents every one of them.
   *
   * Plugins register themselves from their source file with a static
   * Registry<Interface>::Registration object (see the MOLLIFEM_REGISTER_*
   * macros of each kind), also from outside the library.
   */
  template <typename Interface>
  class Registry
  {
  public:
    struct Entry
    {
      /// Name used in parameter files, e.g. "heat".
      std::string name;
      /// One sentence for the parameter documentation.
      std::string description;
      /// Declares the plugin's parameters (optional).
      std::function<void(ParameterHandler &)> declare_parameters;
      /// Builds the plugin from the parsed parameters.
      std::function<std::unique_ptr<Interface>(ParameterHandler &)> create;
    };

    /// Adds an entry to the registry on construction.
    struct Registration
    {
      explicit Registration(Entry entry)
      {
        Registry::add(std::move(entry));
      }
    };

    static void
    add(Entry entry)
    {
      for (const auto &existing : entries())
        AssertThrow(existing.name != entry.name,
                    ExcMessage("Two plugins of one kind are registered under "
                               "the name '" +
                               entry.name + "'."));
      entries().push_back(std::move(entry));
    }

    /// The names, separated by '|', for Patterns::Selection.
    static std::string
    names()
    {
      std::string result;
      for (const auto &entry : entries())
        result += (result.empty() ? "" : "|") + entry.name;
      return result;
    }

    /// "name: description" of every entry, for documentation strings.
    static std::string
    descriptions()
    {
      std::string result;
      for (const auto &entry : entries())
        result += " '" + entry.name + "': " + entry.description;
      return result;
    }

    /// Call every entry's declare_parameters.
    static void
    declare_all_parameters(ParameterHandler &prm)
    {
      for (const auto &entry : entries())
        if (entry.declare_parameters)
          entry.declare_parameters(prm);
    }

    static std::unique_ptr<Interface>
    create(const std::string &name, ParameterHandler &prm)
    {
      for (const auto &entry : entries())
        if (entry.name == name)
          return entry.create(prm);
      AssertThrow(false,
                  ExcMessage("No plugin named '" + name +
                             "' is registered; known: " + names()));
      return nullptr;
    }

    static const std::vector<Entry> &
    list()
    {
      return entries();
    }

  private:
    /// Function-local storage: safe whatever the order of static
    /// initialization across translation units.
    static std::vector<Entry> &
    entries()
    {
      static std::vector<Entry> storage;
      return storage;
    }
  };

/**
 * Register the class template @p classname as a plugin of the dimension-
 * templated @p interface (Model, RegularizationPlugin) for dimension @p dim:
 * classname<dim> has a static declare_parameters(ParameterHandler &) and a
 * constructor from ParameterHandler &. @p kind makes the name of the static
 * registration object unique. The macros of each kind (MOLLIFEM_REGISTER_MODEL,
 * MOLLIFEM_REGISTER_REGULARIZATION) call it for dim = 1, 2, 3.
 */
#define MOLLIFEM_REGISTER_PLUGIN_DIM(kind, interface, classname, name, description, dim) \
  static const ::mollifem::Registry<interface<dim>>::Registration                  \
    mollifem_##kind##_registration_##classname##_##dim(                          \
      {name,                                                                     \
       description,                                                              \
       [](::dealii::ParameterHandler &prm) {                                     \
         classname<dim>::declare_parameters(prm);                                \
       },                                                                        \
       [](::dealii::ParameterHandler &prm) {                                     \
         return std::unique_ptr<interface<dim>>(new classname<dim>(prm));        \
       }})

/// MOLLIFEM_REGISTER_PLUGIN_DIM for dim = 1, 2, 3.
#define MOLLIFEM_REGISTER_PLUGIN(kind, interface, classname, name, description) \
  MOLLIFEM_REGISTER_PLUGIN_DIM(kind, interface, classname, name, description, 1); \
  MOLLIFEM_REGISTER_PLUGIN_DIM(kind, interface, classname, name, description, 2); \
  MOLLIFEM_REGISTER_PLUGIN_DIM(kind, interface, classname, name, description, 3)

} // namespace mollifem

#endif
